"""Common ground: the interests people hold, the staff member's own end, and the shared vocabulary.

The seed vocabulary is frozen here (a later change to the vocabulary is a new migration or the manager's edit,
never an edit of this file). Terms are stored as typed and folded (case and accents) for matching.
"""

SQL = """
CREATE TABLE interests (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE interest_terms (
    interest_id INTEGER NOT NULL REFERENCES interests(id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    term TEXT NOT NULL,
    folded TEXT NOT NULL,
    preferred INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (interest_id, language, folded)
) WITHOUT ROWID;
CREATE INDEX interest_terms_folded ON interest_terms(folded);

CREATE TABLE contact_interests (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    interest_id INTEGER NOT NULL REFERENCES interests(id) ON DELETE CASCADE,
    added_at TEXT NOT NULL,
    added_by INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    PRIMARY KEY (contact_id, interest_id)
) WITHOUT ROWID;
CREATE INDEX contact_interests_interest ON contact_interests(interest_id, contact_id);

-- A suggestion staff said no to is not offered again for that person.
CREATE TABLE contact_interest_dismissed (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    interest_id INTEGER NOT NULL REFERENCES interests(id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, interest_id)
) WITHOUT ROWID;

-- The staff member's end of the connection: kept inside the boutique only.
CREATE TABLE staff_interests (
    staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    interest_id INTEGER NOT NULL REFERENCES interests(id) ON DELETE CASCADE,
    PRIMARY KEY (staff_id, interest_id)
) WITHOUT ROWID;
CREATE TABLE staff_profiles (
    staff_id INTEGER PRIMARY KEY REFERENCES staff(id) ON DELETE CASCADE,
    languages TEXT NOT NULL DEFAULT '',
    shares TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
"""

# key: {language: [preferred term, synonyms...]}
SEED = {
    "sailing": {"en": ["sailing", "sailboat", "yachting", "regatta"], "fr": ["voile", "voilier", "régate"],
                "de": ["Segeln", "Segelboot", "Regatta"], "it": ["vela", "barca a vela", "regata"],
                "es": ["vela", "velero", "regata"], "ja": ["セーリング", "ヨット"]},
    "choir": {"en": ["choir singing", "choir", "chorus"], "fr": ["chant choral", "chorale", "chœur"],
              "de": ["Chorgesang", "Chor"], "it": ["canto corale", "coro"], "es": ["canto coral", "coro"],
              "ja": ["合唱", "コーラス"]},
    "opera": {"en": ["opera"], "fr": ["opéra"], "de": ["Oper"], "it": ["opera lirica", "opera"],
              "es": ["ópera"], "ja": ["オペラ"]},
    "jazz": {"en": ["jazz"], "fr": ["jazz"], "de": ["Jazz"], "it": ["jazz"], "es": ["jazz"], "ja": ["ジャズ"]},
    "golf": {"en": ["golf"], "fr": ["golf"], "de": ["Golf"], "it": ["golf"], "es": ["golf"], "ja": ["ゴルフ"]},
    "tennis": {"en": ["tennis"], "fr": ["tennis"], "de": ["Tennis"], "it": ["tennis"], "es": ["tenis"],
               "ja": ["テニス"]},
    "gardening": {"en": ["gardening", "roses"], "fr": ["jardinage", "jardin potager"], "de": ["Gärtnern", "Gartenarbeit"],
                  "it": ["giardinaggio"], "es": ["jardinería"], "ja": ["ガーデニング", "園芸"]},
    "cooking": {"en": ["cooking", "baking"], "fr": ["cuisine", "pâtisserie"], "de": ["Kochen", "Backen"],
                "it": ["cucina", "pasticceria"], "es": ["cocina", "repostería"], "ja": ["料理"]},
    "wine": {"en": ["wine", "wine tasting"], "fr": ["vin", "œnologie", "dégustation de vin"],
             "de": ["Wein", "Weinprobe"], "it": ["vino", "degustazione"], "es": ["vino", "cata de vinos"],
             "ja": ["ワイン"]},
    "photography": {"en": ["photography"], "fr": ["photographie"], "de": ["Fotografie"], "it": ["fotografia"],
                    "es": ["fotografía"], "ja": ["写真"]},
    "painting": {"en": ["painting", "watercolour", "watercolor"], "fr": ["peinture", "aquarelle"],
                 "de": ["Malerei", "Aquarell"], "it": ["pittura", "acquerello"], "es": ["pintura", "acuarela"],
                 "ja": ["絵画", "水彩"]},
    "ballet": {"en": ["ballet"], "fr": ["ballet", "danse classique"], "de": ["Ballett"], "it": ["balletto"],
               "es": ["ballet"], "ja": ["バレエ"]},
    "cycling": {"en": ["cycling"], "fr": ["cyclisme", "vélo"], "de": ["Radfahren", "Radsport"], "it": ["ciclismo"],
                "es": ["ciclismo"], "ja": ["サイクリング"]},
    "running": {"en": ["running", "marathon"], "fr": ["course à pied", "marathon"], "de": ["Laufen", "Marathon"],
                "it": ["corsa", "maratona"], "es": ["correr", "maratón"], "ja": ["ランニング", "マラソン"]},
    "skiing": {"en": ["skiing"], "fr": ["ski"], "de": ["Skifahren", "Ski"], "it": ["sci"], "es": ["esquí"],
               "ja": ["スキー"]},
    "horse_riding": {"en": ["horse riding", "equestrian", "dressage"], "fr": ["équitation", "dressage"],
                     "de": ["Reiten", "Dressur"], "it": ["equitazione"], "es": ["equitación"], "ja": ["乗馬"]},
    "hiking": {"en": ["hiking", "trekking"], "fr": ["randonnée"], "de": ["Wandern"], "it": ["escursionismo", "trekking"],
               "es": ["senderismo"], "ja": ["ハイキング", "登山"]},
    "storm_chasing": {"en": ["storm chasing", "storm chaser"], "fr": ["chasse aux orages"],
                      "de": ["Sturmjagd", "Gewitterjagd"], "it": ["caccia ai temporali"],
                      "es": ["caza de tormentas"], "ja": ["ストームチェイス"]},
    "astronomy": {"en": ["astronomy", "stargazing"], "fr": ["astronomie"], "de": ["Astronomie"],
                  "it": ["astronomia"], "es": ["astronomía"], "ja": ["天体観測", "天文"]},
    "vintage_cars": {"en": ["vintage cars", "classic cars"], "fr": ["voitures anciennes", "voitures de collection"],
                     "de": ["Oldtimer"], "it": ["auto d'epoca"], "es": ["coches clásicos"], "ja": ["クラシックカー"]},
    "antiques": {"en": ["antiques"], "fr": ["antiquités", "brocante"], "de": ["Antiquitäten"],
                 "it": ["antiquariato"], "es": ["antigüedades"], "ja": ["骨董"]},
    "art_collecting": {"en": ["art collecting", "contemporary art"], "fr": ["art contemporain"],
                       "de": ["Kunstsammeln", "zeitgenössische Kunst"], "it": ["arte contemporanea"],
                       "es": ["arte contemporáneo"], "ja": ["現代美術"]},
    "tea_ceremony": {"en": ["tea ceremony"], "fr": ["cérémonie du thé"], "de": ["Teezeremonie"],
                     "it": ["cerimonia del tè"], "es": ["ceremonia del té"], "ja": ["茶道"]},
    "calligraphy": {"en": ["calligraphy"], "fr": ["calligraphie"], "de": ["Kalligrafie", "Kalligraphie"],
                    "it": ["calligrafia"], "es": ["caligrafía"], "ja": ["書道"]},
    "chess": {"en": ["chess"], "fr": ["échecs"], "de": ["Schach"], "it": ["scacchi"], "es": ["ajedrez"],
              "ja": ["チェス"]},
    "knitting": {"en": ["knitting"], "fr": ["tricot"], "de": ["Stricken"], "it": ["lavoro a maglia"],
                 "es": ["punto", "tejer"], "ja": ["編み物"]},
    "diving": {"en": ["scuba diving", "diving"], "fr": ["plongée"], "de": ["Tauchen"], "it": ["immersioni"],
               "es": ["buceo"], "ja": ["ダイビング"]},
    "dogs": {"en": ["dogs", "dog"], "fr": ["chiens", "chien"], "de": ["Hunde", "Hund"], "it": ["cani", "cane"],
             "es": ["perros", "perro"], "ja": ["犬"]},
    "theatre": {"en": ["theatre", "theater"], "fr": ["théâtre"], "de": ["Theater"], "it": ["teatro"],
                "es": ["teatro"], "ja": ["演劇", "芝居"]},
    "literature": {"en": ["literature", "poetry"], "fr": ["littérature", "poésie"], "de": ["Literatur", "Lyrik"],
                   "it": ["letteratura", "poesia"], "es": ["literatura", "poesía"], "ja": ["文学", "詩"]},
    "architecture": {"en": ["architecture"], "fr": ["architecture"], "de": ["Architektur"], "it": ["architettura"],
                     "es": ["arquitectura"], "ja": ["建築"]},
    "football": {"en": ["football", "soccer"], "fr": ["football", "foot"], "de": ["Fußball"], "it": ["calcio"],
                 "es": ["fútbol"], "ja": ["サッカー"]},
    "yoga": {"en": ["yoga"], "fr": ["yoga"], "de": ["Yoga"], "it": ["yoga"], "es": ["yoga"], "ja": ["ヨガ"]},
    "classical_music": {"en": ["classical music", "piano", "violin"], "fr": ["musique classique", "piano", "violon"],
                        "de": ["klassische Musik", "Klavier", "Geige"], "it": ["musica classica", "pianoforte", "violino"],
                        "es": ["música clásica", "piano", "violín"], "ja": ["クラシック音楽", "ピアノ", "バイオリン"]},
}


def _fold(text):
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("ø", "o").replace("ł", "l").replace("đ", "d").replace("æ", "ae").replace("œ", "oe")


def upgrade(conn):
    import datetime

    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    for key in sorted(SEED):
        cur = conn.execute("INSERT INTO interests(key, created_at) VALUES (?, ?)", (key, now))
        interest_id = cur.lastrowid
        for language, terms in SEED[key].items():
            for position, term in enumerate(terms):
                conn.execute("INSERT OR IGNORE INTO interest_terms(interest_id, language, term, folded, preferred) "
                             "VALUES (?,?,?,?,?)", (interest_id, language, term, _fold(term), int(position == 0)))
