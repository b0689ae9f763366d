"""What the reader's notices call each comment status, and each moderation done."""

STATUS_WORDS = {
    "approved": "approved",
    "pending": "pending",
    "spam": "marked as spam",
    "trash": "in the trash",
}

MODERATION_DONE = {
    "approved": "Approved",
    "pending": "Back to pending",
    "spam": "Marked as spam",
    "trash": "Trashed",
}
