"""The test WordPress itself (tests/wordpress/): the REST API behaves as the sync expects, the
harness's back door agrees with it, and each proxy fault does what it says."""

from __future__ import annotations

import os
import re
import time

import httpx
import pytest
from wordpress.proxy import FaultProxy
from wordpress.site import WordPressSite

API_REL = "https://api.w.org/"


def api_root(base: str) -> str:
    """The REST API's root as a client discovers it: the home page's Link header."""
    link = httpx.get(base + "/").headers["link"]
    found = re.search(r'<([^>]+)>;\s*rel="' + re.escape(API_REL) + '"', link)
    assert found, link
    return found.group(1)


def client(
    site: WordPressSite, base: str | None = None, user: str = "admin", timeout: float = 20.0
) -> httpx.Client:
    return httpx.Client(
        base_url=(base or site.url) + "/wp-json", auth=site.credentials(user), timeout=timeout
    )


# -- the site ------------------------------------------------------------------------------


def test_discovery_link_header_names_the_api_root(wordpress: WordPressSite) -> None:
    root = api_root(wordpress.url)
    assert root == wordpress.api_url == wordpress.url + "/wp-json/"
    index = httpx.get(root)
    assert index.status_code == 200
    assert "wp/v2" in index.json()["namespaces"]
    # The front page is a blog's, with the discovery link in its HTML too.
    page = httpx.get(wordpress.url + "/")
    assert f'<link rel="{API_REL}" href="{root}"' in page.text


def test_application_passwords(wordpress: WordPressSite) -> None:
    me = httpx.get(wordpress.api_url + "wp/v2/users/me", auth=wordpress.credentials())
    assert me.status_code == 200
    assert me.json()["id"] == wordpress.user_id("admin") == 1
    assert me.json()["name"] == "Admin"
    wrong = httpx.get(wordpress.api_url + "wp/v2/users/me", auth=("admin", "wrong password"))
    assert wrong.status_code == 401
    anonymous = httpx.get(wordpress.api_url + "wp/v2/users/me")
    assert anonymous.status_code == 401
    editor = httpx.get(wordpress.api_url + "wp/v2/users/me", auth=wordpress.credentials("editor"))
    assert editor.status_code == 200 and editor.json()["name"] == "Editor"


def test_revoked_password_is_refused_and_reset_restores_the_original(
    wordpress: WordPressSite,
) -> None:
    me = wordpress.api_url + "wp/v2/users/me"
    fresh = wordpress.new_app_password()
    assert fresh != wordpress.admin_password
    assert httpx.get(me, auth=("admin", fresh)).status_code == 200
    wordpress.revoke_app_passwords()
    assert httpx.get(me, auth=("admin", fresh)).status_code == 401
    assert httpx.get(me, auth=wordpress.credentials()).status_code == 401
    wordpress.reset()
    assert httpx.get(me, auth=wordpress.credentials()).status_code == 200
    assert httpx.get(me, auth=("admin", fresh)).status_code == 401


def test_a_reply_is_created_once_then_refused_as_a_duplicate(wordpress: WordPressSite) -> None:
    post = wordpress.add_post("Episode 1", "<p>Text</p>")
    parent = wordpress.add_comment(post, "A question?")
    reply = {"post": post, "parent": parent, "content": "An answer."}
    with client(wordpress) as api:
        created = api.post("/wp/v2/comments", json=reply)
        assert created.status_code == 201, created.text
        body = created.json()
        assert created.headers["location"].endswith(f"/wp-json/wp/v2/comments/{body['id']}")
        assert body["status"] == "approved" and body["author"] == 1
        again = api.post("/wp/v2/comments", json=reply)
        assert again.status_code == 409
        assert again.json()["code"] == "comment_duplicate"
        # No flood check: another reply at once is fine.
        other = api.post("/wp/v2/comments", json={**reply, "content": "And another."})
        assert other.status_code == 201
    mine = [c for c in wordpress.comments(post) if c["user_id"] == 1]
    assert [(c["parent"], c["content"], c["author"], c["email"]) for c in mine] == [
        (parent, "An answer.", "Admin", "admin@example.org"),
        (parent, "And another.", "Admin", "admin@example.org"),
    ]


def test_status_any_lists_every_status_and_agrees_with_the_database(
    wordpress: WordPressSite,
) -> None:
    post = wordpress.add_post("Episode 2")
    ids = {
        status: wordpress.add_comment(
            post, f"A {status} comment", status=status, author=f"Reader {status}"
        )
        for status in ("approved", "hold", "spam", "trash")
    }
    with client(wordpress) as api:
        default = api.get("/wp/v2/comments", params={"post": post}).json()
        assert [c["id"] for c in default] == [ids["approved"]]
        every = api.get(
            "/wp/v2/comments",
            params={
                "post": post,
                "status": "any",
                "context": "edit",
                "orderby": "id",
                "order": "asc",
            },
        )
        assert every.status_code == 200
        assert every.headers["x-wp-total"] == "4"
        rest = {c["id"]: c for c in every.json()}
    db = {c["id"]: c for c in wordpress.comments(post)}
    assert set(db) == set(rest) == set(ids.values())
    for status, cid in ids.items():
        assert rest[cid]["status"] == db[cid]["status"] == status
        assert rest[cid]["content"]["raw"] == db[cid]["content"] == f"A {status} comment"
        assert rest[cid]["author_email"] == db[cid]["email"] == "ann@example.org"
        assert rest[cid]["date_gmt"] == db[cid]["date"]
    assert [p["comment_count"] for p in wordpress.posts()] == [1]


def test_moderation_behind_the_api_s_back(wordpress: WordPressSite) -> None:
    post = wordpress.add_post("Episode 3")
    cid = wordpress.add_comment(post, "Moderate me", status="hold", date="2024-05-01T10:00:00Z")
    with client(wordpress) as api:

        def status() -> str:
            return str(
                api.get(f"/wp/v2/comments/{cid}", params={"context": "edit"}).json()["status"]
            )

        assert status() == "hold"
        for new in ("approved", "spam", "approved", "trash", "untrash", "hold"):
            wordpress.set_comment_status(cid, new)
            # untrash puts back the status it had before the trash
            assert status() == {"untrash": "approved"}.get(new, new)
        wordpress.update_comment(cid, "Edited in wp-admin")
        assert (
            api.get(f"/wp/v2/comments/{cid}", params={"context": "edit"}).json()["content"]["raw"]
            == "Edited in wp-admin"
        )
        wordpress.delete_comment(cid)
        assert api.get(f"/wp/v2/comments/{cid}").status_code == 404
    assert wordpress.comments() == []


def test_a_user_s_comment_and_dates(wordpress: WordPressSite) -> None:
    post = wordpress.add_post("Old", date="2020-01-02T03:04:05Z", author="editor")
    cid = wordpress.add_comment(post, "Mine", user="author", date="2020-01-03T00:00:00+02:00")
    [comment] = wordpress.comments()
    assert comment["id"] == cid
    assert (comment["author"], comment["email"], comment["user_id"]) == (
        "Author",
        "author@example.org",
        wordpress.user_id("author"),
    )
    assert comment["date"] == "2020-01-02T22:00:00"
    [p] = wordpress.posts()
    assert (p["id"], p["date"], p["author"]) == (
        post,
        "2020-01-02T03:04:05",
        wordpress.user_id("editor"),
    )


def test_a_site_in_another_timezone(wordpress: WordPressSite) -> None:
    wordpress.set_option("timezone_string", "Europe/Paris")
    post = wordpress.add_post("Summer")
    cid = wordpress.add_comment(post, "Noon UTC", date="2024-06-01T12:00:00Z")
    assert wordpress.comments()[0]["date"] == "2024-06-01T12:00:00"
    with client(wordpress) as api:
        got = api.get(f"/wp/v2/comments/{cid}").json()
        assert (got["date"], got["date_gmt"]) == ("2024-06-01T14:00:00", "2024-06-01T12:00:00")
        # `after` without an offset is the site's local time; with one, it is converted.
        for after, found in [("2024-06-01T13:30:00", 1), ("2024-06-01T13:30:00Z", 0)]:
            listed = api.get("/wp/v2/comments", params={"post": post, "after": after})
            assert len(listed.json()) == found, after


def test_an_edited_post_shows_in_modified_after(wordpress: WordPressSite) -> None:
    a = wordpress.add_post("A")
    b = wordpress.add_post("B")
    [before_a, before_b] = wordpress.posts()
    wordpress.update_post(b, title="B, edited", content="<p>New</p>")
    after = {p["id"]: p for p in wordpress.posts()}
    assert after[b]["modified"] > before_b["modified"]
    assert after[a]["modified"] == before_a["modified"]
    with client(wordpress) as api:
        changed = api.get(
            "/wp/v2/posts",
            params={"modified_after": before_b["modified"] + "Z", "orderby": "modified"},
        )
        assert [p["id"] for p in changed.json()] == [b]
        assert changed.json()[0]["title"]["rendered"] == "B, edited"


def test_seed_and_reset(wordpress: WordPressSite) -> None:
    wordpress.seed(posts=20, comments_per_post=50)
    posts = wordpress.posts()
    comments = wordpress.comments()
    assert len(posts) == 20 and len(comments) == 1000
    assert all(p["comment_count"] == 50 and p["status"] == "publish" for p in posts)
    by_id = {c["id"]: c for c in comments}
    for c in comments:
        if c["parent"]:
            assert by_id[c["parent"]]["post"] == c["post"]
            assert by_id[c["parent"]]["date"] < c["date"]
    assert sum(1 for c in comments if c["parent"] == 0) == 20 * 13
    with client(wordpress) as api:
        listed = api.get("/wp/v2/comments", params={"post": posts[0]["id"], "per_page": 100})
        assert listed.headers["x-wp-total"] == "50"
        assert {c["id"] for c in listed.json()} == {
            c["id"] for c in comments if c["post"] == posts[0]["id"]
        }
        assert api.get("/wp/v2/posts").headers["x-wp-total"] == "20"
    wordpress.set_option("timezone_string", "Europe/Paris")
    started = time.monotonic()
    wordpress.reset()
    assert time.monotonic() - started < 2.0
    assert wordpress.posts() == [] and wordpress.comments() == []
    assert wordpress.get_option("timezone_string") == "UTC"


def test_a_second_site_starts_and_stops_leaving_nothing() -> None:
    site = WordPressSite.start()
    run_dir = site.run_dir
    assert run_dir is not None and len(str(run_dir / "db" / "sock")) < 100
    pids = [p.pid for p in (site._mariadbd, site._php) if p is not None]
    assert httpx.get(site.api_url + "wp/v2/users/me", auth=site.credentials()).status_code == 200
    site.stop()
    site.stop()
    assert not run_dir.exists()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    with pytest.raises(ProcessLookupError):
        os.killpg(pids[1], 0)  # php -S's workers too


# -- the proxy -----------------------------------------------------------------------------


def test_proxy_passes_through_with_its_own_address(
    wordpress: WordPressSite, fault_proxy: FaultProxy
) -> None:
    assert api_root(fault_proxy.url) == fault_proxy.url + "/wp-json/"
    post = wordpress.add_post("Through the proxy")
    with client(wordpress, fault_proxy.url) as api:
        for _ in range(3):  # one kept-alive connection
            listed = api.get("/wp/v2/posts")
            assert listed.status_code == 200
            assert listed.json()[0]["link"] == f"{fault_proxy.url}/through-the-proxy/"
        assert wordpress.url not in listed.text
        assert wordpress.url.replace("/", "\\/") not in listed.text
        created = api.post("/wp/v2/comments", json={"post": post, "content": "Hi"})
        assert created.status_code == 201
        assert created.headers["location"].startswith(fault_proxy.url + "/wp-json/")
        assert api.get(created.headers["location"]).status_code == 200
    assert fault_proxy.seen[-3:] == [
        ("GET", "/wp-json/wp/v2/posts"),
        ("POST", "/wp-json/wp/v2/comments"),
        ("GET", f"/wp-json/wp/v2/comments/{created.json()['id']}"),
    ]


def test_proxy_down_then_up(wordpress: WordPressSite, fault_proxy: FaultProxy) -> None:
    port = fault_proxy.port
    with client(wordpress, fault_proxy.url) as api:
        assert api.get("/").status_code == 200
        fault_proxy.down()
        with pytest.raises(httpx.ConnectError):
            api.get("/")
        with pytest.raises(httpx.ConnectError):
            httpx.get(fault_proxy.url + "/")
        fault_proxy.up()
        assert fault_proxy.port == port
        assert api.get("/").status_code == 200


def test_proxy_drop_response_loses_the_answer_not_the_comment(
    wordpress: WordPressSite, fault_proxy: FaultProxy
) -> None:
    post = wordpress.add_post("Lossy")
    reply = {"post": post, "content": "Did this arrive?"}
    fault_proxy.drop_response(method="POST")
    with client(wordpress, fault_proxy.url) as api:
        assert api.get("/wp/v2/posts").status_code == 200  # a GET is not dropped
        with pytest.raises(httpx.RemoteProtocolError):
            api.post("/wp/v2/comments", json=reply)
        [comment] = wordpress.comments(post)
        assert comment["content"] == "Did this arrive?" and comment["user_id"] == 1
        again = api.post("/wp/v2/comments", json=reply)  # the fault is spent
        assert again.status_code == 409 and again.json()["code"] == "comment_duplicate"
    assert [f for _, _, f in fault_proxy.received] == [None, "drop", None]


def test_proxy_fail_answers_without_forwarding(
    wordpress: WordPressSite, fault_proxy: FaultProxy
) -> None:
    post = wordpress.add_post("Failing")
    fault_proxy.fail(503, count=2, method="POST", headers={"Retry-After": "1"})
    with client(wordpress, fault_proxy.url) as api:
        for _ in range(2):
            failed = api.post("/wp/v2/comments", json={"post": post, "content": "Hello"})
            assert failed.status_code == 503 and failed.headers["retry-after"] == "1"
        assert wordpress.comments() == []
        assert (
            api.post("/wp/v2/comments", json={"post": post, "content": "Hello"}).status_code == 201
        )
    assert fault_proxy.seen == [("POST", "/wp-json/wp/v2/comments")]
    fault_proxy.fail(500, path_contains="/wp/v2/posts")
    with client(wordpress, fault_proxy.url) as api:
        assert api.get("/wp/v2/comments").status_code == 200
        assert api.get("/wp/v2/posts").status_code == 500
        assert api.get("/wp/v2/posts").status_code == 200


def test_proxy_delay_outlasts_the_client_timeout(
    wordpress: WordPressSite, fault_proxy: FaultProxy
) -> None:
    post = wordpress.add_post("Slow")
    fault_proxy.delay(1.0, method="POST")
    with client(wordpress, fault_proxy.url, timeout=0.3) as api:
        with pytest.raises(httpx.ReadTimeout):
            api.post("/wp/v2/comments", json={"post": post, "content": "Slowly"})
    # The site acted at once: the comment exists though the client never heard (the site may
    # still be at it when the client gives up: the proxy has its answer within the delay).
    deadline = time.monotonic() + 1.0
    while not wordpress.comments(post) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [c["content"] for c in wordpress.comments(post)] == ["Slowly"]
    fault_proxy.delay(0.5, method="GET", act_first=False)
    with client(wordpress, fault_proxy.url, timeout=5) as api:
        started = time.monotonic()
        assert api.get("/wp/v2/comments", params={"post": post}).status_code == 200
        assert time.monotonic() - started >= 0.5
