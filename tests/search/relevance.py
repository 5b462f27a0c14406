"""The relevance set: Danish queries against the demo content, each as (query, what it tests, the page slugs a
librarian expects near the top, chosen by reading the demo content, not from what the search returns)."""

from __future__ import annotations

SCHOOL_COURSES = {"saet-spot-paa-kompetencerne-2016", "saet-spot-paa-kompetencerne-naeste-hold"}
STAFF_COURSES = {
    "kompetenceforloeb-certificeringsbiblioteker-efteraar-2022",
    "kompetenceforloeb-foraar-2023",
    "kompetenceforloeb-efteraar-2023",
    "kompetenceforloeb-nyt-hold",
}
COURSES = SCHOOL_COURSES | STAFF_COURSES
PAST_WEBINARS = {"webinar-citizen-science", "webinar-design-thinking", "webinar-psykologiske-faktorer"}
WEBINARS = PAST_WEBINARS | {"webinar-verdensmaal-i-boernebiblioteket"}
FESTIVALS = {"vidensfestival-ballerup-2022", "vidensfestival-naeste"}
INSPIRATION_DAYS = {"inspirationsdag-herning-2022", "inspirationsdag-verdensmaal-naeste"}
# Pages with the theme Verdensmål.
SDG_PAGES = {
    "db2030",
    "arbejdsgruppen-db2030",
    "inspirationsdag-herning-2022",
    "vidensfestival-ballerup-2022",
    "inspirationsdag-verdensmaal-naeste",
    "vidensfestival-naeste",
    *WEBINARS,
}
# Pages organised or coordinated by Kultur og Information and by Danmarks Biblioteksforening.
KI_PAGES = {"db2030", "arbejdsgruppen-db2030", "netvaerksmoede-tovholdere", *INSPIRATION_DAYS, *FESTIVALS}
DB_PAGES = {"skole-og-bibliotek", "kompetenceudvikling-af-bibliotekspersonale", *COURSES}
VERDENSMAAL_IN_TITLE = {"db2030", "webinar-verdensmaal-i-boernebiblioteket", "inspirationsdag-herning-2022"}
SUSTAINABLE = {"webinar-design-thinking", "vidensfestival-naeste", "vidensfestival-ballerup-2022"}
SCHOOL = SCHOOL_COURSES | {"skole-og-bibliotek"}
LEADERSHIP = STAFF_COURSES | {"kompetenceudvikling-af-bibliotekspersonale"}

RELEVANCE_SET: list[tuple[str, str, set[str]]] = [
    # Inflections
    ("kurser", "plural", COURSES),
    ("kurset", "definite singular", COURSES),
    ("kurserne", "definite plural", COURSES),
    ("kursus", "irregular singular", COURSES),
    ("webinar", "singular", WEBINARS),
    ("webinarer", "plural", WEBINARS),
    ("webinarerne om verdensmålene", "definite plural, stop word", WEBINARS),
    ("verdensmålene", "definite plural", VERDENSMAAL_IN_TITLE),
    ("inspirationsdage", "plural of a compound", INSPIRATION_DAYS),
    ("eksperimenter", "plural", SCHOOL_COURSES),
    ("bæredygtigt", "adjective for bæredygtighed", SUSTAINABLE),
    ("ledere", "theme synonym, plural", LEADERSHIP),
    # "aa" for "å"
    ("verdensmaal", "aa for å", VERDENSMAAL_IN_TITLE),
    ("Aarhus", "aa in a place name", STAFF_COURSES),
    ("Århus", "å in a place name", STAFF_COURSES),
    ("saet spot paa kompetencerne", "ae, aa and a stop word", SCHOOL_COURSES),
    ("foraar 2023", "aa and a year", {"kompetenceforloeb-foraar-2023"}),
    # Compounds
    ("skolesamarbejde", "compound theme name", SCHOOL),
    ("samarbejde med skolerne", "the compound's parts", SCHOOL),
    ("skolereform", "compound, inflected in the text", SCHOOL),
    ("landskaber", "head of kompetencelandskaber", SCHOOL_COURSES),
    ("festival", "head of vidensfestival", FESTIVALS),
    ("bibliotekspersonale", "compound", LEADERSHIP),
    ("børn", "irregular, in børnebiblioteket", {"webinar-verdensmaal-i-boernebiblioteket"}),
    ("netværksmøde tovholdere", "compound and plural", {"netvaerksmoede-tovholdere"}),
    ("arbejdsgruppe", "compound, definite in the title", {"arbejdsgruppen-db2030"}),
    # Theme names and synonyms
    ("SDG", "synonym of Verdensmål", SDG_PAGES),
    ("FN's 17 mål", "synonym with an apostrophe", SDG_PAGES),
    ("Sustainable Development Goals", "English synonym", SDG_PAGES),
    ("designtænkning", "synonym of Design thinking", {"webinar-design-thinking"}),
    ("borgervidenskab", "synonym of Citizen science", {"webinar-citizen-science", "vidensfestival-naeste"}),
    ("psykologi", "synonym of Trivsel og motivation", {"webinar-psykologiske-faktorer"}),
    ("psykolog", "the noun of psykologiske", {"webinar-psykologiske-faktorer"}),
    ("kursusdag", "the seed's word for a kursusgang", COURSES),
    ("kursusdage", "the seed's word, plural", COURSES),
    ("erfaringsudveksling", "synonym of Videndeling",
     {"db2030", "arbejdsgruppen-db2030", "inspirationsdag-herning-2022"}),
    # Places and organisers
    ("Herning", "place", INSPIRATION_DAYS),
    ("Ballerup", "place", FESTIVALS),
    ("Odense", "place of course days", SCHOOL_COURSES),
    ("Dokk1", "venue", STAFF_COURSES),
    ("FKI", "organiser of the webinars", WEBINARS),
    ("Kultur og Information", "organiser", KI_PAGES),
    ("Danmarks Biblioteksforening", "organiser", DB_PAGES),
    # Topics of past webinars
    ("citizen science", "webinar topic", {"webinar-citizen-science"}),
    ("design thinking", "webinar topic", {"webinar-design-thinking"}),
    ("Design Quest", "tool named in a webinar", {"webinar-design-thinking"}),
    ("trivsel motivation adfærd", "webinar topic", {"webinar-psykologiske-faktorer"}),
    ("folkebibliotek partner i forskning", "words from a transcript", {"webinar-citizen-science"}),
    # Said only in a recording: words of a webinar's captions (its WebVTT transcript)
    ("klimaangst", "a word of a caption only", {"webinar-psykologiske-faktorer"}),
    ("byttereol med værktøj", "a caption's words, a compound", {"webinar-psykologiske-faktorer"}),
    ("certificeringsbibliotekerne", "compound, definite plural",
     {"kompetenceforloeb-certificeringsbiblioteker-efteraar-2022"}),
    ("Folketinget midler", "funding of an initiative", {"kompetenceudvikling-af-bibliotekspersonale"}),
]  # fmt: skip

MIN_RECALL_AT_5 = 0.9
