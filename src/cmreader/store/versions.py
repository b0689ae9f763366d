"""The schema migrations a current store has applied: checked without loading sqlite-utils."""

# Names of the migrations in schema.py, in order. Opening a store compares these with the
# _sqlite_migrations table first, so the common case (nothing to do) costs one query and no
# sqlite-utils import on the reader's start-up path.
MIGRATION_SET = "cmreader"
MIGRATION_NAMES = (
    "m001_initial",
    "m002_blogs_statuses_types",
    "m003_episode_order",
    "m004_moderation",
    "m005_list_orders_and_totals",
    "m006_waiting_episode_order",
    "m007_live_sites",
    "m008_writing_answers",
    "m009_commenter_user_ids",
)
