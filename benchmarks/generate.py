"""Write a synthetic WordPress WXR 1.2 export: many episodes, many comments, one huge thread.

    python benchmarks/generate.py --posts 1000 --comments-per-post 90 --big-thread 10000 \
        --small-thread 5 --seed 1 -o benchmarks/out/big.xml

The same arguments always give the same file, byte for byte. The big thread (and the small
one, when asked for) are the newest episodes, so they sit at the top of the episode list:
the big one first, then the small one, then the ordinary episodes, newest first.

With --parts N the export is written as N complete files (deep.xml -> deep.01.xml ...), the
episodes split between them in file order; together they hold the same items, byte for byte.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

SITE = "https://vie-de-cm.example.org"
OWNER = {"id": "7", "login": "becky", "email": "becky@vie-de-cm.example.org", "name": "Becky"}
GUEST_AUTHOR = {"id": "8", "login": "marc", "email": "marc@vie-de-cm.example.org", "name": "Marc"}
START = datetime(2012, 1, 9, 8, 30, tzinfo=UTC)
END = datetime(2024, 11, 20, 18, 0, tzinfo=UTC)

TITLE_FR = [
    "Vie ma vie de Community Manager, épisode {n}",
    "Comment répondre aux trolls sans y laisser sa journée ({n})",
    "Les coulisses d'une campagne sur les réseaux sociaux, partie {n}",
    "Modération : ce que j'ai appris en {n} semaines",
    "Faut-il être partout ? Épisode {n} de la série",
    "Mon agenda éditorial, semaine {n}",
    "Crise sur Twitter : retour d'expérience n°{n}",
    "Le métier de CM expliqué à ma grand-mère ({n})",
]
TITLE_EN = [
    "Notes from the community desk, part {n}",
    "How we answered {n} angry customers in one afternoon",
    "Building a newsletter people actually read ({n})",
    "What moderation taught me, week {n}",
    "Community metrics that matter, episode {n}",
]
SENT_FR = [
    "Bonjour Becky, je viens de découvrir ton blog et je le trouve vraiment intéressant.",
    "Merci pour cet article, il tombe à pic pour moi.",
    "Je suis tout à fait d'accord avec toi sur ce point.",
    "Avec l'évolutivité de ce métier, il faut sans cesse se former.",
    "Est-ce que tu aurais des conseils pour quelqu'un qui débute ?",
    "Je m'informe sur le métier de CM et ton témoignage m'aide beaucoup.",
    "C'est exactement ce que je vis au quotidien dans mon agence.",
    "Pour ma part, je pense que la modération prend trop de temps.",
    "Il faudrait aussi parler de la fatigue liée aux notifications.",
    "Super épisode, vivement le prochain !",
    "Je ne suis pas sûr que ce soit si simple, les clients ont leurs exigences.",
    "Tu as raison, l'écoute est la première qualité d'un bon community manager.",
    "On a testé cette méthode chez nous et les résultats sont encourageants.",
    "Quelle est ta position sur les réponses automatiques ?",
    "J'ai partagé ton billet avec mon équipe, ça a lancé un beau débat.",
    "Les chiffres de l'engagement ne disent pas tout, loin de là.",
    "Bravo pour la clarté de l'explication, même pour une novice comme moi.",
    "Désolé mais je trouve ce passage un peu naïf.",
    "Ça dépend énormément de la taille de la communauté.",
    "Cordialement, et encore merci pour ce partage.",
]
SENT_EN = [
    "Thanks for writing this up, it matches what I see every day.",
    "I am not sure I agree with the part about scheduling posts.",
    "Great episode, looking forward to the next one!",
    "Have you tried answering the hard questions first thing in the morning?",
    "We moved our community to a forum last year and never looked back.",
    "The numbers do not tell the whole story, the tone matters more.",
    "Could you share the template you use for the weekly report?",
    "This is the best explanation of moderation I have read in a while.",
    "Honestly the trolls are the easy part; the silent majority is harder.",
    "Thanks, bookmarked for my team.",
]
REPLY_FR = [
    "Merci beaucoup pour ton message !",
    "Tout à fait, il faut être autonome et curieux.",
    "Bonne question, j'en parlerai dans un prochain épisode.",
    "Je te rejoins entièrement.",
    "Bises, et à bientôt sur le blog !",
    "C'est vrai, je n'avais pas vu les choses sous cet angle.",
]
REPLY_EN = [
    "Thanks a lot for the kind words!",
    "Good point, I will come back to it in a later episode.",
    "Fair enough, I should have been clearer.",
]
NAMES = [
    "boots38",
    "Claire D.",
    "Julien",
    "Sophie_M",
    "Nadia",
    "Thomas B.",
    "mlle_zaza",
    "Kévin",
    "Émilie",
    "François",
    "Hélène",
    "jp_martin",
    "Aurélie",
    "Olivier",
    "Léa",
    "Bastien",
    "Sarah K.",
    "Mehdi",
    "Camille",
    "Zoé",
    "Anonymous",
    "Pauline",
    "Yann",
    "Chloé",
    "Tom",
    "Dana",
    "Priya",
    "Kenji",
    "Alex R.",
    "Morgan",
]
PARA = (
    SENT_FR
    + SENT_EN
    + [
        "Le community management ne se résume pas à publier : c'est d'abord écouter.",
        "Chaque semaine, je réponds à des centaines de commentaires, et chacun compte.",
        "Voici comment j'organise mes journées entre veille, création et modération.",
        "La réactivité est essentielle, mais la qualité des réponses l'est encore plus.",
        "We learned that a short, honest answer beats a long, polished one.",
    ]
)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _wp_date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _rss_date(moment: datetime) -> str:
    return moment.strftime("%a, %d %b %Y %H:%M:%S +0000")


class Generator:
    """Deterministic text and structure for one seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.next_comment_id = 1

    def article(self, n: int) -> str:
        """An HTML article of about 3 KB, as WordPress' block editor saves it."""
        rng = self.rng
        parts: list[str] = []
        size = 0
        while size < 3000:
            kind = rng.random()
            if kind < 0.12:
                block = (
                    f"<!-- wp:heading -->\n<h2>Partie {len(parts) + 1}</h2>\n<!-- /wp:heading -->"
                )
            elif kind < 0.22:
                items = "".join(f"<li>{escape(rng.choice(PARA))}</li>" for _ in range(3))
                block = f"<!-- wp:list -->\n<ul>{items}</ul>\n<!-- /wp:list -->"
            else:
                sentences = " ".join(rng.choice(PARA) for _ in range(rng.randint(3, 6)))
                sentences = escape(sentences)
                if rng.random() < 0.3:
                    sentences += (
                        f' <a href="{SITE}/episode-{max(1, n - 1)}/">l\'épisode précédent</a>'
                    )
                if rng.random() < 0.3:
                    sentences = "<strong>Important :</strong> " + sentences
                block = f"<!-- wp:paragraph -->\n<p>{sentences}</p>\n<!-- /wp:paragraph -->"
            parts.append(block)
            size += len(block)
        return "\n\n".join(parts)

    def comment_text(self, by_owner: bool) -> str:
        rng = self.rng
        french = rng.random() < 0.75
        if by_owner:
            pool = REPLY_FR if french else REPLY_EN
            return " ".join(rng.choice(pool) for _ in range(rng.randint(1, 3)))
        pool = SENT_FR if french else SENT_EN
        paragraphs = []
        for _ in range(1 if rng.random() < 0.7 else rng.randint(2, 3)):
            paragraphs.append(" ".join(rng.choice(pool) for _ in range(rng.randint(1, 4))))
        text = "\n\n".join(paragraphs)
        if rng.random() < 0.05:
            text += ' <a href="https://example.com/ressources" rel="nofollow">mes ressources</a>'
        return text

    def thread(
        self, count: int, post_date: datetime, first_author: str | None = None
    ) -> list[dict[str, object]]:
        """count comments; each reply hangs below a recent comment, depth doing a random walk.

        Most replies stay shallow; now and then two people argue and a chain goes deep.
        first_author names the first commenter (benchmarks look for it on screen).
        """
        rng = self.rng
        comments: list[dict[str, object]] = []
        depth_of: dict[int, int] = {}
        parent_of: dict[int, int] = {}
        moment = post_date + timedelta(minutes=rng.randint(5, 120))
        cursor: int | None = None  # the comment the random walk stands on
        argue = 0  # comments left in the current back-and-forth
        for _ in range(count):
            cid = self.next_comment_id
            self.next_comment_id += 1
            moment += timedelta(seconds=rng.randint(30, 4 * 3600))
            if cursor is None or (argue == 0 and rng.random() < 0.3):
                parent = 0
            elif argue > 0:
                parent = cursor
                argue -= 1
            else:
                step = rng.random()
                if step < 0.45:
                    parent = cursor  # one level deeper
                elif step < 0.75:
                    parent = parent_of.get(cursor, 0)  # a sibling
                else:
                    up = parent_of.get(cursor, 0)  # back up a level or two
                    for _ in range(rng.randint(1, 2)):
                        up = parent_of.get(up, 0) if up else 0
                    parent = up
                if rng.random() < 0.004:
                    argue = rng.randint(20, 400)
            depth = depth_of[parent] + 1 if parent else 0
            owner_turn = parent != 0 and rng.random() < (0.35 if argue == 0 else 0.5)
            comment = self._comment(cid, parent, moment, owner_turn)
            if first_author and not comments:
                comment["author"] = first_author
            comments.append(comment)
            depth_of[cid] = depth
            parent_of[cid] = parent
            cursor = cid
        return comments

    def _comment(
        self, cid: int, parent: int, moment: datetime, by_owner: bool
    ) -> dict[str, object]:
        rng = self.rng
        name = OWNER["name"] if by_owner else rng.choice(NAMES)
        slug = name.lower().replace(" ", "").replace(".", "")
        status_roll = rng.random()
        approved = (
            "1" if status_roll < 0.95 or by_owner else ("0" if status_roll < 0.98 else "spam")
        )
        return {
            "id": cid,
            "parent": parent,
            "author": name,
            "email": OWNER["email"] if by_owner else f"{slug}@example.net",
            "url": "" if rng.random() < 0.7 else f"https://{slug}.example.net/",
            "ip": f"192.0.2.{rng.randint(1, 254)}",
            "date": moment,
            "content": self.comment_text(by_owner),
            "approved": approved,
            "user_id": OWNER["id"] if by_owner else "0",
        }


def _item(
    out: list[str],
    post_id: int,
    title: str,
    when: datetime,
    body: str,
    author: dict,
    comments: list[dict[str, object]],
) -> None:
    slug = f"episode-{post_id}"
    out.append(
        "\t<item>\n"
        f"\t\t<title>{_cdata(title)}</title>\n"
        f"\t\t<link>{SITE}/{when:%Y/%m}/{slug}/</link>\n"
        f"\t\t<pubDate>{_rss_date(when)}</pubDate>\n"
        f"\t\t<dc:creator>{_cdata(author['login'])}</dc:creator>\n"
        f'\t\t<guid isPermaLink="false">{SITE}/?p={post_id}</guid>\n'
        "\t\t<description></description>\n"
        f"\t\t<content:encoded>{_cdata(body)}</content:encoded>\n"
        "\t\t<excerpt:encoded><![CDATA[]]></excerpt:encoded>\n"
        f"\t\t<wp:post_id>{post_id}</wp:post_id>\n"
        f"\t\t<wp:post_date>{_cdata(_wp_date(when))}</wp:post_date>\n"
        f"\t\t<wp:post_date_gmt>{_cdata(_wp_date(when))}</wp:post_date_gmt>\n"
        "\t\t<wp:comment_status><![CDATA[open]]></wp:comment_status>\n"
        "\t\t<wp:ping_status><![CDATA[open]]></wp:ping_status>\n"
        f"\t\t<wp:post_name>{_cdata(slug)}</wp:post_name>\n"
        "\t\t<wp:status><![CDATA[publish]]></wp:status>\n"
        "\t\t<wp:post_parent>0</wp:post_parent>\n"
        "\t\t<wp:menu_order>0</wp:menu_order>\n"
        "\t\t<wp:post_type><![CDATA[post]]></wp:post_type>\n"
        "\t\t<wp:post_password><![CDATA[]]></wp:post_password>\n"
        "\t\t<wp:is_sticky>0</wp:is_sticky>\n"
        '\t\t<category domain="category" nicename="community-management">'
        "<![CDATA[Community management]]></category>\n"
    )
    for c in comments:
        out.append(
            "\t\t<wp:comment>\n"
            f"\t\t\t<wp:comment_id>{c['id']}</wp:comment_id>\n"
            f"\t\t\t<wp:comment_author>{_cdata(str(c['author']))}</wp:comment_author>\n"
            f"\t\t\t<wp:comment_author_email>{_cdata(str(c['email']))}</wp:comment_author_email>\n"
            f"\t\t\t<wp:comment_author_url>{escape(str(c['url']))}</wp:comment_author_url>\n"
            f"\t\t\t<wp:comment_author_IP>{_cdata(str(c['ip']))}</wp:comment_author_IP>\n"
            f"\t\t\t<wp:comment_date>{_cdata(_wp_date(c['date']))}</wp:comment_date>\n"  # type: ignore[arg-type]
            f"\t\t\t<wp:comment_date_gmt>{_cdata(_wp_date(c['date']))}</wp:comment_date_gmt>\n"  # type: ignore[arg-type]
            f"\t\t\t<wp:comment_content>{_cdata(str(c['content']))}</wp:comment_content>\n"
            f"\t\t\t<wp:comment_approved>{_cdata(str(c['approved']))}</wp:comment_approved>\n"
            "\t\t\t<wp:comment_type><![CDATA[comment]]></wp:comment_type>\n"
            f"\t\t\t<wp:comment_parent>{c['parent']}</wp:comment_parent>\n"
            f"\t\t\t<wp:comment_user_id>{c['user_id']}</wp:comment_user_id>\n"
            "\t\t</wp:comment>\n"
        )
    out.append("\t</item>\n")


BIG_TITLE = "Le grand débat : faut-il fermer les commentaires ? ({n} réactions)"
SMALL_TITLE = "Petit mot du dimanche ({n} commentaires)"
# The first commenters of the two special episodes: names no other comment uses.
BIG_FIRST = "Anatole Grandébat"
SMALL_FIRST = "Zélie Petitmot"


def header() -> str:
    """The export's opening: the channel, its authors, up to the first item."""
    out = [
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<rss version="2.0"\n'
        '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n'
        "<channel>\n"
        "\t<title>Vie ma vie de Community Manager</title>\n"
        f"\t<link>{SITE}</link>\n"
        "\t<description>Le blog de Becky</description>\n"
        f"\t<pubDate>{_rss_date(END)}</pubDate>\n"
        "\t<language>fr-FR</language>\n"
        "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
        f"\t<wp:base_site_url>{SITE}</wp:base_site_url>\n"
        f"\t<wp:base_blog_url>{SITE}</wp:base_blog_url>\n"
    ]
    for a in (OWNER, GUEST_AUTHOR):
        out.append(
            "\t<wp:author>"
            f"<wp:author_id>{a['id']}</wp:author_id>"
            f"<wp:author_login>{_cdata(a['login'])}</wp:author_login>"
            f"<wp:author_email>{_cdata(a['email'])}</wp:author_email>"
            f"<wp:author_display_name>{_cdata(a['name'])}</wp:author_display_name>"
            "<wp:author_first_name><![CDATA[]]></wp:author_first_name>"
            "<wp:author_last_name><![CDATA[]]></wp:author_last_name>"
            "</wp:author>\n"
        )
    out.append("\t<generator>https://wordpress.org/?v=6.5.4</generator>\n")
    return "".join(out)


FOOTER = "</channel>\n</rss>\n"


def items(posts: int, per_post: int, big: int, small: int, seed: int) -> Iterator[str]:
    """Every <item> of the export in file order, one string each, made as they are asked for
    (a million comments never sit in memory at once)."""
    gen = Generator(seed)
    rng = gen.rng
    span = (END - START).total_seconds()
    post_id = 1000
    # Ordinary episodes, oldest first, evenly spread over the years with some jitter.
    for n in range(1, posts + 1):
        when = START + timedelta(seconds=span * (n - 1) / max(posts, 1) + rng.randint(0, 3600))
        title = rng.choice(TITLE_FR if rng.random() < 0.8 else TITLE_EN).format(n=n)
        post_id += 1
        out: list[str] = []
        _item(out, post_id, title, when, gen.article(n), OWNER, gen.thread(per_post, when))
        yield "".join(out)
    # The special episodes are the newest: the big thread on top, the small one second.
    # The small thread a day before the big one, which is the newest episode.
    extras = (
        (small, SMALL_TITLE, SMALL_FIRST, END - timedelta(days=1), posts + 1),
        (big, BIG_TITLE, BIG_FIRST, END, posts + 2),
    )
    for count, title, first, when, article in extras:
        if count:
            post_id += 1
            out = []
            _item(
                out,
                post_id,
                title.format(n=count),
                when,
                gen.article(article),
                OWNER,
                gen.thread(count, when, first),
            )
            yield "".join(out)


def generate(posts: int, per_post: int, big: int, small: int, seed: int) -> str:
    """The whole export as text."""
    return header() + "".join(items(posts, per_post, big, small, seed)) + FOOTER


def part_paths(output: Path, parts: int) -> list[Path]:
    """The files an export split in parts is written to: big.xml, or deep.01.xml, deep.02.xml..."""
    if parts <= 1:
        return [output]
    return [output.with_name(f"{output.stem}.{k:02d}{output.suffix}") for k in range(1, parts + 1)]


def write(
    output: Path, posts: int, per_post: int, big: int, small: int, seed: int, parts: int = 1
) -> tuple[list[Path], int]:
    """Write the export, streamed; with parts > 1, as that many complete WXR files of the same
    blog, its episodes in file order split evenly between them (the special episodes, newest,
    in the last). Together the parts hold exactly the items of the one-file export: the same
    episodes and comments, byte for byte, whatever the split. Returns the files and bytes."""
    paths = part_paths(output, parts)
    total_items = posts + bool(small) + bool(big)
    stream = items(posts, per_post, big, small, seed)
    head = header().encode()
    size = 0
    for k, path in enumerate(paths):
        count = (k + 1) * total_items // len(paths) - k * total_items // len(paths)
        with path.open("wb") as f:
            f.write(head)
            for _ in range(count):
                chunk = next(stream).encode()
                f.write(chunk)
                size += len(chunk)
            f.write(FOOTER.encode())
        size += len(head) + len(FOOTER)
    return paths, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100, help="ordinary episodes")
    parser.add_argument("--comments-per-post", type=int, default=10)
    parser.add_argument(
        "--big-thread", type=int, default=0, help="comments of one extra, newest episode (0: none)"
    )
    parser.add_argument(
        "--small-thread",
        type=int,
        default=0,
        help="comments of one extra episode just before the big one (0: none)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--parts",
        type=int,
        default=1,
        help="split into this many WXR files, OUTPUT's name numbered (for the importer's "
        "512 MB cap per file): deep.xml -> deep.01.xml ...",
    )
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    paths, size = write(
        args.output,
        args.posts,
        args.comments_per_post,
        args.big_thread,
        args.small_thread,
        args.seed,
        args.parts,
    )
    total = args.posts * args.comments_per_post + args.big_thread + args.small_thread
    where = str(paths[0]) if len(paths) == 1 else f"{paths[0]} .. {paths[-1].name}"
    print(
        f"{where}: {args.posts + bool(args.big_thread) + bool(args.small_thread)} "
        f"episodes, {total} comments, {size / 1e6:.1f} MB "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
