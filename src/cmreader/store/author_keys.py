"""A commenter's key as SQL: the same account, e-mail or profile, else the same name on a blog."""

from __future__ import annotations

_AUTHOR_KEY = """
CASE
  WHEN NULLIF(TRIM({c}.author_email), '') IS NOT NULL
    THEN 'email:' || LOWER(TRIM({c}.author_email))
  WHEN b.kind = 'blogger' AND NULLIF(TRIM({c}.author_url), '') IS NOT NULL
    THEN 'profile:' || TRIM({c}.author_url)
  WHEN NULLIF(TRIM({c}.author), '') IS NOT NULL
    THEN 'name:' || COALESCE(p.blog_id, '') || ':' || TRIM({c}.author)
END
"""


def m008_author_key_sql(c: str, post_id: str) -> str:
    """The key as m008 first set it (e-mail, Blogger profile, name on the blog): the migration
    keeps using it, whatever came after."""
    return (f"(SELECT {_AUTHOR_KEY.format(c=c)} FROM posts p "
            f"LEFT JOIN blogs b ON b.id = p.blog_id WHERE p.id = {post_id})")


# From m009 the platform's user id comes first: an account on a site (WordPress's comment
# user id, its REST API's author, a Disqus username) is one person whatever e-mail or name they
# gave that day. Ids are each site's own, so a user id names a person on its blog only; then
# the e-mail, the Blogger profile and the name on its blog, as in m008.
_AUTHOR_KEY_BY_ID = _AUTHOR_KEY.replace(
    "CASE\n",
    "CASE\n"
    "  WHEN NULLIF(TRIM({c}.author_user_id), '') IS NOT NULL\n"
    "    THEN 'user:' || COALESCE(p.blog_id, '') || ':' || TRIM({c}.author_user_id)\n",
    1,
)


def author_key_sql(c: str, post_id: str) -> str:
    """The commenter's key of the comment row `c` (post `post_id`), as the triggers of m009 set
    it and the bulk insert of importing works it out itself."""
    return (f"(SELECT {_AUTHOR_KEY_BY_ID.format(c=c)} FROM posts p "
            f"LEFT JOIN blogs b ON b.id = p.blog_id WHERE p.id = {post_id})")
