"""Demo book: staff with their own interests and languages, customers whose moments mention some interests,
so common ground shows on first start. Uses its own random stream, so the rest of the demo is unchanged."""

from __future__ import annotations

import datetime as dt
import random

from .model import utc_now

STAFF_PROFILES = {
    "Camille Laurent": ("fr,en", ["sailing", "opera", "gardening"], "Sails off Brittany every August."),
    "Matteo Ricci": ("it,en,fr", ["choir", "cooking", "football"], "Sings bass in a choir in Milan."),
    "Sofia Andersson": ("en,de,fr", ["hiking", "photography", "storm_chasing"],
                        "Chases storms across the plains each June."),
    "Hiroshi Kato": ("ja,en", ["tea_ceremony", "calligraphy", "jazz"], "Practises calligraphy on Sunday mornings."),
    "Léonie Marchand": ("fr,es,en", ["horse_riding", "painting", "wine"], "Rides in the forest of Fontainebleau."),
}

# (interest key, what the person told us)
TOLD = [
    ("sailing", "Spends every August sailing off the coast of Brittany; showed us the boat."),
    ("choir", "Sings in a choir on Thursday evenings; concert at Saint-Eustache in May."),
    ("opera", "Just back from the opera: La Traviata, loved the second act."),
    ("storm_chasing", "Goes storm chasing in the Great Plains every June with the family."),
    ("tea_ceremony", "Has been learning the tea ceremony for two years, with an aunt in Kyoto."),
    ("jazz", "Never misses the jazz festival in Juan-les-Pins."),
    ("gardening", "The roses from the garden won a prize at the village show; gardening every weekend."),
    ("horse_riding", "Rides every Sunday; the mare is called Bellone."),
    ("photography", "Took up photography after retiring; prints in black and white."),
    ("calligraphy", "Practises calligraphy; wrote our card in beautiful ink."),
    ("hiking", "Back from hiking the Tour du Mont Blanc with friends."),
    ("wine", "Collects Burgundy; invited us to a wine tasting at his cellar."),
    ("cooking", "Takes cooking classes on Saturdays; brought us madeleines."),
    ("painting", "Paints watercolours of the harbour; exhibiting in the spring."),
    ("golf", "Plays golf at Saint-Cloud every Sunday morning."),
    ("chess", "Plays chess in the park with his grandson."),
]


def generate(conn, person_ids, staff_ids: list[int], seed: int, share: float = 0.35) -> int:
    """Add the staff profiles and interest moments. Returns the number of moments added."""
    rng = random.Random(seed * 7919 + 25)
    now = utc_now()
    key_ids = dict(conn.execute("SELECT key, id FROM interests"))
    for name, (languages, keys, shares) in STAFF_PROFILES.items():
        row = conn.execute("SELECT id FROM staff WHERE name=?", (name,)).fetchone()
        if not row:
            continue
        conn.execute("INSERT OR REPLACE INTO staff_profiles(staff_id, languages, shares, updated_at) VALUES (?,?,?,?)",
                     (row[0], languages, shares, now))
        conn.executemany("INSERT OR IGNORE INTO staff_interests(staff_id, interest_id) VALUES (?,?)",
                         [(row[0], key_ids[k]) for k in keys if k in key_ids])
    today = dt.date.today()
    next_id = (conn.execute("SELECT max(id) FROM moments").fetchone()[0] or 0) + 1
    moments, fts, held = [], [], []
    for cid in person_ids:
        if rng.random() >= share:
            continue
        for key, text in rng.sample(TOLD, rng.choice([1, 1, 2])):
            day = (today - dt.timedelta(days=rng.randint(3, 500))).isoformat()
            moments.append((next_id, cid, day, "story", text, rng.choice(staff_ids), now, now))
            fts.append((next_id, text, cid))
            next_id += 1
            if key in key_ids and rng.random() < 0.6:  # staff confirmed it; the rest stay suggestions
                held.append((cid, key_ids[key], now))
    conn.executemany("INSERT INTO moments(id, contact_id, occurred_on, kind, text, staff_id, created_at, updated_at) "
                     "VALUES (?,?,?,?,?,?,?,?)", moments)
    conn.executemany("INSERT INTO moment_fts(rowid, text, contact_id) VALUES (?,?,?)", fts)
    conn.executemany("INSERT OR IGNORE INTO contact_interests(contact_id, interest_id, added_at) VALUES (?,?,?)", held)
    return len(moments)
