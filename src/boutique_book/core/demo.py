"""Deterministic, realistic demo data (multilingual names, tiers, moments, links, follow-ups).

Bulk path: rows are generated in Python and written with executemany inside one transaction, and
the search index rows are written directly, so 100,000 contacts and a million moments take a minute
rather than an hour. Same seed, same vault contents.
"""

from __future__ import annotations

import datetime as dt
import json
import random

from . import demo_interests, demo_people
from . import search
from .model import utc_now
from .text import display_name, fold, sort_key

CULTURES = {
    # code: (language, country, given names, family names, city/postcode pairs, streets, phone prefix, digits)
    "fr": ("fr", "FR", ["Anne", "Zoë", "Élodie", "Hélène", "François", "Clémence", "Noël", "Amélie", "Jérôme",
                        "Benoît", "Chloé", "Léa", "Océane", "Gaël"],
           ["Dupont", "Lefèvre", "de la Tour", "Moreau", "Bérard", "Fontaine", "Giraud", "Rousseau", "Mercier",
            "d'Aubigné", "Chevalier"],
           [("Paris", "75008"), ("Lyon", "69002"), ("Bordeaux", "33000"), ("Nice", "06000")],
           ["avenue Montaigne", "rue de la République", "quai des Chartrons", "promenade des Anglais"],
           "+336", 8),
    "de": ("de", "DE", ["Jürgen", "Sophie", "Lukas", "Käthe", "Maximilian", "Greta", "Jörg", "Anneliese"],
           ["Müller", "Schröder", "Köhler", "Weiß", "von Bülow", "Öztürk", "Becker", "Ährens"],
           [("München", "80331"), ("Berlin", "10117"), ("Hamburg", "20095")],
           ["Maximilianstraße", "Kurfürstendamm", "Jungfernstieg"], "+49151", 8),
    "it": ("it", "IT", ["Giulia", "Matteo", "Chiara", "Lorenzo", "Francesca", "Niccolò"],
           ["Rossi", "Bianchi", "De Luca", "Ferrari", "Esposito", "Colombo"],
           [("Milano", "20121"), ("Roma", "00187"), ("Firenze", "50123")],
           ["Via Montenapoleone", "Via Condotti", "Via de' Tornabuoni"], "+39347", 7),
    "es": ("es", "ES", ["Lucía", "Álvaro", "Inés", "Sofía", "Martín", "Begoña"],
           ["García", "Fernández", "Muñoz", "de la Fuente", "Ibáñez"],
           [("Madrid", "28001"), ("Barcelona", "08008")], ["Calle de Serrano", "Passeig de Gràcia"], "+34612", 6),
    "en": ("en", "GB", ["Olivia", "James", "Charlotte", "Oliver", "Amelia", "Harry", "Siobhán"],
           ["Smith", "O'Brien", "Taylor", "Wright", "Fitzgerald", "Hughes"],
           [("London", "W1S 1DN"), ("Edinburgh", "EH2 2AF")], ["Bond Street", "George Street"], "+447700", 6),
    "us": ("en", "US", ["Emily", "Michael", "Madison", "Ethan", "Grace"],
           ["Johnson", "Williams", "Brown", "Miller"],
           [("New York", "10022"), ("Chicago", "60611")], ["Madison Avenue", "Michigan Avenue"], "+1212555", 4),
    "ru": ("ru", "RU", ["Анна", "Дмитрий", "Ольга", "Сергей", "Наталья"],
           ["Иванова", "Петров", "Смирнова", "Кузнецов", "Волкова"],
           [("Москва", "125009"), ("Санкт-Петербург", "191186")], ["ул. Петровка", "Невский проспект"],
           "+7916", 7),
    "ja": ("ja", "JP", ["太郎", "花子", "美咲", "健太", "由美", "翔"],
           ["山田", "佐藤", "鈴木", "高橋", "田中", "渡辺"],
           [("東京都", "104-0061"), ("大阪府", "530-0001")], ["中央区銀座4-6-16", "北区梅田1-1-3"], "+8190", 8),
    "zh": ("zh", "CN", ["伟", "芳", "娜", "明", "静"], ["王", "李", "张", "刘", "陈"],
           [("上海市", "200040"), ("北京市", "100006")], ["南京西路1266号", "王府井大街138号"], "+86138", 8),
    "ar": ("ar", "AE", ["محمد", "فاطمة", "ليلى", "أحمد", "نور"], ["الحسن", "العلي", "حداد", "منصور"],
           [("دبي", ""), ("أبو ظبي", "")], ["شارع الشيخ زايد", "شارع الكورنيش"], "+97150", 7),
}
# States where the country's address format has a place for them ("New York, NY 10022").
DEMO_REGIONS = {("US", "New York"): "NY", ("US", "Chicago"): "IL"}
CULTURE_WEIGHTS = {"fr": 30, "de": 12, "it": 10, "es": 8, "en": 10, "us": 8, "ru": 6, "ja": 7, "zh": 5, "ar": 4}
ROMAJI = {"太郎": "Tarō", "花子": "Hanako", "美咲": "Misaki", "健太": "Kenta", "由美": "Yumi", "翔": "Shō",
          "山田": "Yamada", "佐藤": "Satō", "鈴木": "Suzuki", "高橋": "Takahashi", "田中": "Tanaka", "渡辺": "Watanabe"}

# The demo book's boutique (printing adds a drawn logo: printing.boutique.complete_demo).
BOUTIQUE = {
    "name": "Maison Laurent",
    "street": "24 rue du Faubourg Saint-Honoré",
    "postal_code": "75008",
    "city": "Paris",
    "country_code": "FR",
    "phone": "+33 1 42 65 18 30",
    "email": "bonjour@maison-laurent.fr",
    "website": "www.maison-laurent.fr",
    "language": "fr",
    "signing_line": "Maison Laurent · Paris",
}

STAFF = ["Camille Laurent", "Matteo Ricci", "Sofia Andersson", "Hiroshi Kato", "Léonie Marchand"]
TAGS = ["bridal", "menswear", "shoes", "leather goods", "golf club", "opera circle", "art collector",
        "early riser", "prefers fittings", "gift buyer", "vintage", "jewellery"]
INSTITUTIONS = ["Golf Club de Saint-Cloud", "Opera Circle", "Hôtel Le Bristol concierge", "Rotary Club",
                "Cercle de l'Union", "Tennis Club Roland", "Musée des Arts Décoratifs friends", "Yacht Club"]
MOMENTS = {  # a (feminine, masculine) pair is picked by the person's gender; a plain text fits anyone
    "story": [("Told us about her trip to Kyoto in spring, loved the gardens.",
               "Told us about his trip to Kyoto in spring, loved the gardens."),
              "Grandson starts university in Lyon this autumn.",
              "Moved into a new flat near the park; redecorating in green and ochre.",
              ("Daughter's wedding planned for June; looking for a dress for the ceremony.",
               "Daughter's wedding planned for June; looking for a suit for the ceremony.")],
    "preference": [("Size 38 in shoes, M in knitwear; prefers navy, camel and emerald.",
                    "Size 43 in shoes, L in knitwear; prefers navy, camel and forest green."),
                   ("Likes silk scarves with geometric prints, never yellow.",
                    "Likes silk ties with geometric prints, never yellow."),
                   "Prefers quiet afternoons; dislikes strong perfume in the fitting room."],
    "wish": [("Would love the emerald silk scarf from the winter collection.",
              "Would love the emerald silk tie from the winter collection."),
             "Waiting for the cashmere coat in camel, size 40.",
             ("Wants a leather travel bag for her anniversary.", "Wants a leather travel bag for his anniversary.")],
    "purchase": ["Bought the navy cashmere coat.", "Bought two silk scarves as gifts.",
                 "Bought the camel leather gloves."],
    "visit": [("Came in with her sister to look at the new collection.",
               "Came in with his sister to look at the new collection."),
              "Stopped by after lunch, tried the boots."],
    "coffee": ["Coffee together after the fashion show; talked about opera.",
               "Espresso at the counter while the alteration was finished."],
    "gift_given": [("We sent flowers for her birthday.", "We sent a bottle of Chablis for his birthday.")],
    "card_sent": ["Christmas card sent."],
    "card_received": ["Sent us a lovely card from Venice."],
    "family_event": [("Became a grandmother: baby Louise born in March.",
                      "Became a grandfather: baby Louise born in March."),
                     ("Her son got married in Florence.", "His son got married in Florence.")],
    "complaint": ["The hem came undone after one week; unhappy about the wait."],
}
MOMENT_WEIGHTS = {"story": 20, "preference": 12, "wish": 10, "purchase": 20, "visit": 15, "coffee": 8,
                  "gift_given": 3, "card_sent": 5, "card_received": 3, "family_event": 3, "complaint": 1}
FIRST_MET = ["walk_in"] * 5 + ["referral"] * 3 + ["event", "concierge", "tourism", "online", "press"]


def _weighted(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def generate(vault, contacts: int = 1000, seed: int = 1, moments_per_contact: float = 10.0,
             links_per_contact: float = 3.0, progress=None, cancelled=None) -> dict:
    """Fill `vault` with demo data. Returns counts. progress(done, total) is called now and then."""
    rng = random.Random(seed)
    today = dt.date.today()
    now = utc_now()
    counts = {"contacts": 0, "moments": 0, "links": 0, "followups": 0}
    with vault.transaction() as conn:
        staff_ids = []
        for name in STAFF:
            conn.execute("INSERT OR IGNORE INTO staff(name, role, created_at) VALUES (?,?,?)", (name, "staff", now))
            staff_ids.append(conn.execute("SELECT id FROM staff WHERE name=?", (name,)).fetchone()[0])
        conn.execute("INSERT OR IGNORE INTO settings(key, value) VALUES ('home_region', 'FR')")
        conn.execute("INSERT OR IGNORE INTO settings(key, value) VALUES ('boutique', ?)",
                     (json.dumps(BOUTIQUE, ensure_ascii=False, sort_keys=True),))
        for tag in TAGS:
            conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (tag,))
        tag_ids = {name: tid for tid, name in conn.execute("SELECT id, name FROM tags")}
        first_id = (conn.execute("SELECT max(id) FROM contacts").fetchone()[0] or 0) + 1
        institution_count = max(1, min(len(INSTITUTIONS), contacts // 100))
        names = demo_people.Names(seed, conn.execute("SELECT given_name, family_name FROM contacts").fetchall())
        sexes: dict[int, str] = {}

        contact_rows, phone_rows, email_rows, addr_rows, date_rows, tag_rows, fts_rows = [], [], [], [], [], [], []
        tier_rows, consent_rows = [], []
        for n in range(contacts):
            cid = first_id + n
            if cancelled and cancelled():
                raise InterruptedError("cancelled")
            if n < institution_count:
                org = INSTITUTIONS[n]
                given = family = translit = ""
                language, country, kind, tier = "fr", "FR", "institution", "friends"
                culture = CULTURES["fr"]
            else:
                code = _weighted(rng, CULTURE_WEIGHTS)
                culture = CULTURES[code]
                language, country = culture[0], culture[1]
                given, family, org = rng.choice(culture[2]), rng.choice(culture[3]), ""
                given, family = names.pick(code, given, family, culture[2], culture[3])
                romaji = {**ROMAJI, **demo_people.EXTRA_ROMAJI}
                translit = f"{romaji.get(given, '')} {romaji.get(family, '')}".strip() if code == "ja" else ""
                kind = rng.choices(["customer", "prospect", "local", "partner", "supplier"], [70, 15, 8, 4, 3])[0]
                tier = rng.choices(["family", "friends", "acquaintances"], [10, 30, 60])[0]
            formality = rng.choice(["formal", "formal", "informal"])
            drawn = "" if org else rng.choice(["Madame", "Monsieur", ""]) if language == "fr" else ""
            salutation = demo_people.salutation(language, given, drawn)
            sexes[cid] = demo_people.gender(given)
            disp = display_name(given, family, org)
            skey = sort_key(given, family, org)
            source = rng.choice(FIRST_MET)
            channel = rng.choice(["call", "card", "email", "letter", "visit", "sms"])
            created = (today - dt.timedelta(days=rng.randint(30, 3650))).isoformat() + "T10:00:00+00:00"
            contact_rows.append((cid, given, family, org, translit, salutation, formality, kind, tier, language,
                                 country, channel, source, disp, skey, created, now, staff_ids[n % len(staff_ids)]))
            tier_rows.append((cid, None, tier, created, staff_ids[n % len(staff_ids)]))
            number = culture[6] + "".join(str(rng.randint(0, 9)) for _ in range(culture[7]))
            raw = number
            phone_rows.append((cid, "mobile", raw, number))
            local = fold(translit or f"{given}.{family}" if not org else org)
            local = "".join(ch for ch in local if ch.isascii() and (ch.isalnum() or ch == ".")) or f"client{cid}"
            email = f"{local.strip('.')}{cid}@example.{ 'com' if country in ('US', 'GB') else country.lower()}"
            email_rows.append((cid, "home", email))
            city, postcode = rng.choice(culture[4])
            # The street of that city (Michigan Avenue is in Chicago, not New York); the random draw is kept so
            # the demo's people, numbers and dates stay the ones the docs and screenshots show.
            house = rng.randint(1, 120) if code_is_latin(language) else None
            rng.choice(culture[5])
            street_name = culture[5][[c for c, _p in culture[4]].index(city)]
            street = f"{house} {street_name}" if house is not None else street_name
            addr_rows.append((cid, "home", street, city, DEMO_REGIONS.get((country, city), ""), postcode, country))
            if not org and rng.random() < 0.8:
                year = rng.randint(1940, 2003) if rng.random() < 0.7 else None
                month, day = rng.randint(1, 12), rng.randint(1, 28)
                value = f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
                date_rows.append((cid, "birthday", value, 10))
            tags = rng.sample(TAGS, rng.choice([0, 1, 1, 2, 3]))
            tag_rows.extend((cid, tag_ids[t]) for t in tags)
            consent_rows.append((cid, "mail", 1, now, staff_ids[0]))
            if rng.random() < 0.4:
                consent_rows.append((cid, "share_hq", 1, now, staff_ids[0]))
            fts_rows.append((cid, *search.index_row([given, family, org, translit, disp], [(number, raw)],
                                                     [email, city, postcode], tags)))
        conn.executemany(
            "INSERT INTO contacts(id, given_name, family_name, organisation, transliteration, salutation, formality, "
            "kind, tier, language, country, preferred_channel, first_met_source, display_name, sort_key, created_at, "
            "updated_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", contact_rows)
        conn.executemany("INSERT INTO tier_history(contact_id, from_tier, to_tier, changed_at, changed_by) "
                         "VALUES (?,?,?,?,?)", tier_rows)
        conn.executemany("INSERT INTO contact_phones(contact_id, label, raw, e164) VALUES (?,?,?,?)", phone_rows)
        conn.executemany("INSERT INTO contact_emails(contact_id, label, address) VALUES (?,?,?)", email_rows)
        conn.executemany("INSERT INTO contact_addresses(contact_id, label, street, city, region, postal_code, "
                         "country_code) VALUES (?,?,?,?,?,?,?)", addr_rows)
        conn.executemany("INSERT INTO contact_dates(contact_id, kind, value, lead_days) VALUES (?,?,?,?)", date_rows)
        conn.executemany("INSERT OR IGNORE INTO contact_tags(contact_id, tag_id) VALUES (?,?)", tag_rows)
        conn.executemany("INSERT INTO consents(contact_id, purpose, granted, recorded_at, recorded_by) "
                         "VALUES (?,?,?,?,?)", consent_rows)
        conn.executemany("INSERT INTO contact_fts(rowid, names, aliases, details, tails, tags) VALUES (?,?,?,?,?,?)",
                         fts_rows)
        counts["contacts"] = contacts
        if progress:
            progress(1, 4)

        # Moments, written in batches to keep memory flat at a million rows.
        batch, fts_batch = [], []
        next_moment = (conn.execute("SELECT max(id) FROM moments").fetchone()[0] or 0) + 1
        person_ids = range(first_id + institution_count, first_id + contacts)
        for cid in person_ids:
            for _ in range(int(rng.expovariate(1 / moments_per_contact)) if moments_per_contact else 0):
                kind = _weighted(rng, MOMENT_WEIGHTS)
                text = demo_people.words(rng.choice(MOMENTS[kind]), sexes.get(cid, ""))
                day = (today - dt.timedelta(days=int(rng.expovariate(1 / 400)))).isoformat()
                amount = rng.randint(90, 4500) * 100 if kind == "purchase" else None
                season = "christmas" if kind in ("card_sent", "card_received") else ""
                if season:  # Christmas cards travel in December of a past year
                    year = today.year - 1 - min(2, int(rng.expovariate(1.0)))
                    day = dt.date(year, 12, rng.randint(8, 22)).isoformat()
                batch.append((next_moment, cid, day, kind, text, amount, "EUR" if amount else "", season,
                              int(day[:4]) if season else None, rng.choice(staff_ids), now, now))
                fts_batch.append((next_moment, text, cid))
                next_moment += 1
            if len(batch) >= 20000:
                _flush_moments(conn, batch, fts_batch)
                counts["moments"] += len(batch)
                batch, fts_batch = [], []
                if cancelled and cancelled():
                    raise InterruptedError("cancelled")
        _flush_moments(conn, batch, fts_batch)
        counts["moments"] += len(batch)
        if progress:
            progress(2, 4)

        # Links: families and friends in small clusters, referrals, club members; institutions are hubs.
        link_rows = set()
        people = list(person_ids)
        kinds = ["friend"] * 5 + ["family"] * 2 + ["referred_by"] * 2 + ["colleague", "spouse"]
        for _ in range(int(len(people) * links_per_contact * 0.8)):
            a = rng.choice(people)
            b = a + rng.randint(1, 40) if rng.random() < 0.8 else rng.choice(people)  # locality makes circles
            if b == a or b >= first_id + contacts:
                continue
            link_rows.add((a, b, rng.choice(kinds)))
        for _ in range(int(len(people) * links_per_contact * 0.2)):
            link_rows.add((rng.choice(people), first_id + rng.randrange(institution_count), "member_of"))
        link_rows = demo_people.one_spouse_each(link_rows)
        conn.executemany("INSERT INTO links(from_id, to_id, type, created_at) VALUES (?,?,?,?)",
                         [(a, b, t, now) for a, b, t in sorted(link_rows)])
        counts["links"] = len(link_rows)
        if progress:
            progress(3, 4)

        followup_rows = []
        for cid in people[:: max(1, len(people) // max(1, contacts // 20))]:
            start = today + dt.timedelta(days=rng.randint(-5, 20))
            followup_rows.append((cid, "custom", "Call back after the alteration", rng.choice(staff_ids), "call",
                                  json.dumps({"type": "once"}), start.isoformat(), now))
        conn.executemany("INSERT INTO followups(contact_id, reason_kind, reason, owner_staff_id, channel, rule, "
                         "start_date, created_at) VALUES (?,?,?,?,?,?,?,?)", followup_rows)
        counts["followups"] = len(followup_rows)
        counts["moments"] += demo_interests.generate(conn, people, staff_ids, seed)
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('demo_seed', ?)", (str(seed),))
    if progress:
        progress(4, 4)
    return counts


def code_is_latin(language: str) -> bool:
    return language in ("fr", "de", "it", "es", "en")


def _flush_moments(conn, batch, fts_batch) -> None:
    conn.executemany(
        "INSERT INTO moments(id, contact_id, occurred_on, kind, text, amount_minor, currency, season, season_year, "
        "staff_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", batch)
    conn.executemany("INSERT INTO moment_fts(rowid, text, contact_id) VALUES (?,?,?)", fts_batch)
