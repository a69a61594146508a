"""Swedish hover texts for the JSON Schema: every property gets a description and examples.

An editor (VS Code's YAML extension) shows them when the author points at a key, so they are
written for a Swedish facilitator. A property is looked up as (definition, key) first, then by
key alone; tests/test_schema.py checks that every property has one and that each example is
valid for its property.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from krisovning.vocab import (
    EXPECTED_ACTIONS,
    ActionKind,
    InjectChannel,
    PersonaKind,
    PostCategory,
    Priority,
    PublishChannel,
    Sentiment,
)

Entry = tuple[str, list[Any]]


def _choices(values: type[Enum] | tuple[Enum, ...]) -> str:
    """`a, b eller c`."""
    names = [str(v.value) for v in values]
    return ", ".join(names[:-1]) + " eller " + names[-1]


_ACTIONS = _choices(ActionKind)
_DURATION = "Skrivs som 90s, 15m eller 1h30m."
_FROM_START = "räknat från övningens start (start)"

# What each definition is, for its own description and for the `id` of its objects.
MODELS: dict[str, tuple[str, str]] = {
    "Scenario": ("ett scenario", "En scenariofil för krisovning: organisationen, rollerna, inspelen och övningsmålen."),
    "Calls": ("samtalen", "Hur samtal i kanalen phone ringer."),
    "Checklist": ("checklistan", "En checklista som laget bockar av under övningen."),
    "ChecklistDone": ("kriteriet", "Målet nås när checklistan är avbockad i tid."),
    "ChecklistItem": ("punkten", "En punkt i en checklista."),
    "DecisionLogged": ("kriteriet", "Målet nås när laget har loggat beslut i tid."),
    "Expectation": ("förväntan", "Vad laget förväntas göra med inspelet, och inom vilken tid."),
    "ExpectationsMet": ("kriteriet", "Målet nås när en andel av inspelens förväntningar uppfylls."),
    "Fact": ("faktumet", "Ett faktum med värde, och om allmänheten känner till det från början."),
    "FirstPublicMessage": ("kriteriet", "Målet nås när det första offentliga meddelandet publiceras i tid."),
    "FollowUp": ("uppföljningen", "Hur en journalist följer upp när ingen svarar."),
    "Inject": ("inspelet", "Ett inspel: exakt en av at, after och when säger när det kommer."),
    "InjectGenerator": ("generatorn", "Slumpade inspel (samtal från medier, frågor från invånare …) med en viss takt."),
    "Objective": ("övningsmålet", "Ett mätbart övningsmål."),
    "Organisation": ("organisationen", "Kommunen eller organisationen som övar."),
    "Persona": ("personen", "En person som skickar inspel eller skriver inlägg."),
    "PersonaPool": ("gruppen", "En grupp genererade personer (svenska namn), t.ex. journalister eller invånare."),
    "PostTemplate": ("mallen", "En mall för inlägg med villkor: används bara när alla villkor i when gäller."),
    "ResponseTime": ("kriteriet", "Målet nås när inspelen besvaras inom en viss tid."),
    "Role": ("rollen", "En roll i laget som övar."),
    "RumourPeak": ("kriteriet", "Målet nås när ryktesandelen i flödet håller sig under en gräns."),
    "SituationPicture": ("kriteriet", "Målet nås när laget delar lägesbilder tillräckligt ofta."),
    "SocialEffect": ("effekten", "En knuff åt en tråd i sociala medier: fler inlägg och/eller nya parametrar."),
    "SocialModel": ("flödet", "Flödet i sociala medier: trådar, författare, mallar och reaktioner."),
    "SocialReaction": ("reaktionen", "Hur flödet svarar på laget: publicering, tystnad eller missade inspel."),
    "SocialSpike": ("toppen", "En planerad topp av inlägg i en tråd."),
    "SocialThread": ("tråden", "En tråd i sociala medier (en självexciterande process)."),
    "Topic": ("ämnet", "Något invånarna frågar om eller pratar om."),
    "MessageQuality": (
        "målen",
        "Klarspråksmål för lagets offentliga budskap: visas som råd i publiceringsformuläret och i rapporten, "
        "betygsätts aldrig.",
    ),
    "KeyElement": (
        "beståndsdelen",
        "En del som ett budskap till allmänheten ska ha (vad, var, vad man ska göra, hur länge, var man får veta "
        "mer): budskapet har den när texten innehåller ett av nyckelorden eller tar upp ett av ämnena.",
    ),
    "AvoidWord": ("ordet", "Ett ord som allmänheten kanske inte förstår (fackspråk)."),
    "Exercise": (
        "övningen",
        "Till rapportens försättsblad: övningens slag, syfte, deltagande organisationer, övningsledare och "
        "utvärderare.",
    ),
    "Platform": (
        "plattformen",
        "Var en tråd finns: en lokal Facebookgrupp, X, Instagram, en lokaltidnings kommentarsfält …",
    ),
    "WhenAction": ("villkoret", "Gäller när laget har gjort en viss handling."),
    "WhenContradicted": ("villkoret", "Gäller när en publicering i ämnet har motsagt en tidigare."),
    "WhenCovered": ("villkoret", "Gäller när en offentlig publicering har tagit upp ämnet."),
    "WhenInjected": ("villkoret", "Gäller när inspelet har kommit."),
    "WhenMet": ("villkoret", "Gäller när inspelets förväntan har uppfyllts."),
    "WhenMetric": ("villkoret", "Gäller när ett mått i flödet passerar en gräns."),
    "WhenMissed": ("villkoret", "Gäller när inspelets förväntan har missats."),
    "WhenNoAction": ("villkoret", "Gäller när laget inte har gjort en viss handling i tid."),
    "WhenNotYet": ("villkoret", "Gäller så länge laget ännu inte har gjort en viss handling."),
    "ActionKind": ("handlingen", f"En handling laget gör: {_ACTIONS}."),
    "InjectChannel": ("kanalen", f"Kanalen ett inspel kommer i: {_choices(InjectChannel)}."),
    "PersonaKind": ("slaget", f"Vilket slags person: {_choices(PersonaKind)}."),
    "PostCategory": ("kategorin", f"En kategori av inlägg i sociala medier: {_choices(PostCategory)}."),
    "Priority": ("prioriteten", f"Inspelets prioritet: {_choices(Priority)}."),
    "PublishChannel": ("kanalen", f"En kanal laget publicerar i: {_choices(PublishChannel)}."),
    "Sentiment": ("tonen", f"Tonen i ett inlägg: {_choices(Sentiment)}."),
}

# By key alone: the meaning a key has wherever it stands.
BY_KEY: dict[str, Entry] = {
    "above": ("Villkoret gäller när måttet är över detta värde (ange antingen above eller below).", [200, 0.3]),
    "below": ("Villkoret gäller när måttet är under detta värde (ange antingen above eller below).", [0.1]),
    "action": (f"Handlingen: {_choices(EXPECTED_ACTIONS)}.", ["reply", "publish"]),
    "after": ("Inspelet kommer efter inspelet med detta id (plus delay).", ["larm-1"]),
    "answer": (
        "Vad ett informerat lag publicerar om ämnet (botlagen använder texten).",
        ["Vattnet går att dricka igen."],
    ),
    "at": (
        f"När inspelet kommer, {_FROM_START}: inte ett klockslag. {_DURATION} "
        "Med start 08:00 kommer at: 1h15m klockan 09:15.",
        ["0m", "15m", "1h15m"],
    ),
    "authors": ("Personer och grupper (id) som skriver inläggen.", [["invanare", "lokala-medier"]]),
    "baseline": ("Inlägg per timme i tråden utan påverkan (skalas med kommunens folkmängd).", [6, 0.5]),
    "branching": ("Hur många nya inlägg ett inlägg i snitt väcker (0–0,95; skrivs med punkt).", [0.5, 0.7]),
    "by": (f"Senast när, {_FROM_START}. {_DURATION}", ["45m", "1h30m"]),
    "calls": ("Hur samtal i kanalen phone ringer.", [{"ring": "90s"}]),
    "channel": (f"Kanalen inspelet kommer i: {_choices(InjectChannel)}.", ["phone", "email"]),
    "channels": (f"Kanalerna (en lista): {_choices(PublishChannel)}.", [["web", "social"]]),
    "checklist": ("Id för checklistan.", ["stabsuppstart"]),
    "checklists": (
        "Checklistor laget bockar av under övningen.",
        [[{"id": "uppstart", "title": "Uppstart", "items": [{"id": "larma", "text": "Larma stabschefen"}]}]],
    ),
    "contradiction": (
        "Vad en publicering som motsäger en tidigare i samma ämne gör med flödet.",
        [{"thread": "vatten", "spike": 40}],
    ),
    "count": ("Hur många beslut som ska loggas.", [1, 3]),
    "covered_factor": (
        "Faktorn på trådens takt när en publicering har tagit upp dess ämne (0–1; skrivs med punkt).",
        [0.3],
    ),
    "criterion": (
        "Hur målet mäts; type väljer slag av kriterium.",
        [{"type": "first_public_message", "within": "30m"}],
    ),
    "delay": (f"Fördröjning efter after eller when (inte tillsammans med at). {_DURATION}", ["5m", "90s"]),
    "description": ("En beskrivning (fri text).", ["Rollen leder kommunikationen i krisledningen."]),
    "due": (f"När punkten ska vara klar, {_FROM_START}. {_DURATION}", ["30m"]),
    "duration": (f"Övningens längd. {_DURATION}", ["2h", "1h30m"]),
    "effect": ("Vad som händer med flödet.", [{"thread": "vatten", "spike": 30}]),
    "email": ("E-postadress.", ["anna.lindqvist@example.se"]),
    "end": (f"När generatorn slutar, {_FROM_START}. {_DURATION}", ["1h30m"]),
    "every": (f"Hur ofta en lägesbild ska delas. {_DURATION}", ["30m"]),
    "expect": ("Vad laget förväntas göra med inspelet, och inom vilken tid.", [{"action": "reply", "within": "15m"}]),
    "facts": (
        "Fakta som texterna kan använda som {namn}: namn med a–z, siffror och _ (inte -).",
        [{"antal_hushall": 1200, "kokgrans": "Ekebacka och Norrby"}],
    ),
    "first_within": (f"När den första lägesbilden senast ska delas. {_DURATION}", ["20m"]),
    "follow_up": (
        "Hur en journalist följer upp när ingen svarar; false stänger av uppföljningen.",
        [{"after": "20m", "then": "40m"}, False],
    ),
    "format": ("Filformatets version; skriv 1.", [1]),
    "from": ("Id för personen eller gruppen som skickar.", ["anna-lindqvist"]),
    "generators": (
        "Slumpade inspel med en viss takt per timme.",
        [
            [
                {
                    "id": "medier",
                    "per_hour": 4,
                    "channels": ["phone"],
                    "from": ["journalister"],
                    "to": ["kommunikator"],
                    "templates": ["Hej, {sender.name} här. Vad händer?"],
                }
            ]
        ],
    ),
    "generic": ("Använd de inbyggda svenska inläggen (true) eller bara scenariots egna mallar (false).", [True, False]),
    "half_life": (f"Halveringstiden för hur länge ett inlägg väcker nya. {_DURATION}", ["10m"]),
    "handle": ("Namn i sociala medier.", ["@annalindqvist"]),
    "id": ("Ett unikt id: a–z, A–Z, siffror, - och _ (inga mellanslag eller åäö).", ["webbredaktor"]),
    "inject": ("Id för inspelet.", ["larm-1"]),
    "injects": ("Inspelen (en lista) i tidsordning eller inte; varje inspel har ett eget id.", [["larm-1", "media-2"]]),
    "items": ("Checklistans punkter.", [[{"id": "larma", "text": "Larma stabschefen", "due": "15m"}]]),
    "keywords": (
        "Ord som visar att en text handlar om detta (svensk ordstam; ordet matchar också början av sammansättningar).",
        [["kokning", "koka"]],
    ),
    "kind": (f"Vilket slags person: {_choices(PersonaKind)}.", ["journalist", "citizen"]),
    "language": ("Språket i scenariots texter: sv eller en.", ["sv"]),
    "max_posts": ("Högst så här många inlägg under övningen (ett skydd mot skenande flöden).", [100000]),
    "metric": ("Måttet: posts_per_hour, rumour_share eller negative_share.", ["rumour_share"]),
    "mix": ("Hur inläggen fördelas på kategorier (relativa vikter, skrivs med punkt).", [{"question": 3, "rumour": 1}]),
    "name": ("Namnet som det visas.", ["Anna Lindqvist"]),
    "note": ("En anteckning för övningsledaren (visas inte för laget).", ["Spela upp trycket om laget är tyst."]),
    "objectives": ("Övningsmålen (id) som inspelet prövar.", [["forsta-budskap"]]),
    "on": (
        "Vad flödet reagerar på: publish (ett officiellt meddelande), silence (tystnad) eller missed (missat inspel).",
        ["publish", "silence"],
    ),
    "once": ("Bara första gången (true) eller varje gång (false).", [True]),
    "organisation": ("Organisationen personen tillhör.", ["Länsstyrelsen i Kalmar län"]),
    "outlet": ("Redaktionen en journalist arbetar för; används av {sender.outlet}.", ["Barometern"]),
    "outlets": ("Redaktioner som gruppens journalister arbetar för.", [["Barometern", "SVT Småland"]]),
    "partly_below": ("Delvis uppfyllt under detta värde.", [0.4]),
    "partly_by": (f"Delvis uppfyllt om det sker senast då. {_DURATION}", ["1h"]),
    "partly_every": (f"Delvis uppfyllt med lägesbilder så här ofta. {_DURATION}", ["45m"]),
    "partly_share": ("Andelen (0–1, skrivs med punkt: 0.8) som ger delvis uppfyllt.", [0.8]),
    "partly_within": (f"Delvis uppfyllt inom denna tid. {_DURATION}", ["45m"]),
    "per_hour": ("Hur många inspel per timme i snitt.", [4, 0.5]),
    "persona_pools": (
        "Grupper av genererade personer.",
        [[{"id": "journalister", "kind": "journalist", "size": 5, "outlets": ["Barometern"]}]],
    ),
    "personas": (
        "Personerna som skickar inspel och skriver inlägg.",
        [[{"id": "anna-lindqvist", "name": "Anna Lindqvist", "kind": "journalist", "outlet": "Barometern"}]],
    ),
    "phone": ("Telefonnummer.", ["070-123 45 67"]),
    "places": ("Ortnamn i kommunen som inläggen kan nämna.", [["Norrby", "Ekebacka centrum"]]),
    "population": ("Folkmängden; flödet i sociala medier skalas efter den.", [25000]),
    "priority": (f"Prioriteten: {_choices(Priority)}.", ["high"]),
    "public": ("Känner allmänheten till faktumet från början (true) eller först när det avslöjas (false)?", [False]),
    "reactions": (
        "Hur flödet svarar på laget.",
        [[{"on": "publish", "effect": {"thread": "vatten", "scale_baseline": 0.5}}]],
    ),
    "reference_population": ("Folkmängden som takterna i flödet är skrivna för.", [100000]),
    "region": ("Län eller region.", ["Kalmar län"]),
    "reveals": ("Fakta (namn) som blir offentliga när inspelet kommer.", [["smittkalla"]]),
    "ring": (f"Hur länge ett samtal ringer innan det är missat. {_DURATION}", ["60s", "2m"]),
    "role": ("Id för rollen.", ["kommunikator"]),
    "roles": ("Rollerna i laget som övar.", [[{"id": "kommunikator", "name": "Kommunikatör"}]]),
    "rumour": ("Är ämnet ett rykte som laget bör bemöta?", [True]),
    "scale_baseline": ("Faktor på trådens grundtakt (0–100, skrivs med punkt: 0.5).", [0.5, 2]),
    "seed": ("Slumpfrö: samma frö ger samma övning.", [1, 42]),
    "sender_kinds": (f"Bara inspel från dessa slags personer ({_choices(PersonaKind)}).", [["journalist"]]),
    "sentiment": ("Tonen per kategori (relativa vikter).", [{"rumour": {"negative": 3, "neutral": 1}}]),
    "set_branching": ("Ny förgrening för tråden (0–0,95; skrivs med punkt).", [0.7]),
    "share": ("Andelen (0–1) som krävs; skrivs med punkt: 0.9, inte 0,9.", [0.9, 1]),
    "short_name": ("Kort namn.", ["Ekebacka"]),
    "size": ("Hur många personer.", [5]),
    "social": (
        "Flödet i sociala medier.",
        [{"authors": ["invanare"], "threads": [{"id": "vatten", "mix": {"question": 1}}]}],
    ),
    "spike": ("Så många direkta reaktioner i tråden.", [30]),
    "spikes": ("Planerade toppar av inlägg.", [[{"at": "30m", "thread": "vatten", "size": 40}]]),
    "start": (
        "När övningen börjar: datum och klockslag, t.ex. 2026-10-17T08:00 (sekunder och tidszon får utelämnas).",
        ["2026-10-17T08:00"],
    ),
    "story": (f"Efter ett svar: när artikeln som citerar det publiceras. {_DURATION}", ["15m"]),
    "subject": ("Ämnesraden (för e-post).", ["Fråga om dricksvattnet"]),
    "subjects": ("Ämnesrader; en dras för varje inspel.", [["Fråga om vattnet", "Hur länge till?"]]),
    "templates": (
        "Texter; en dras för varje gång. {sender.name} och andra platshållare fylls i.",
        [["Hej, {sender.name} på {sender.outlet} här. Vad gäller?"]],
    ),
    "text": (
        "Texten. Börjar den med { eller innehåller den ': ' eller ' #', sätt citattecken runt hela texten.",
        ['"{sender.name} här: är vattnet farligt?"'],
    ),
    "texture": ("Svensk textur i inläggen (stavfel, emoji, inledningar) på (true) eller av (false).", [True]),
    "then": (f"När journalisten publicerar att kommunen inte svarar. {_DURATION}", ["40m"]),
    "thread": ("Id för tråden i sociala medier.", ["vatten"]),
    "threads": ("Trådarna i sociala medier.", [[{"id": "vatten", "baseline": 6, "mix": {"question": 3, "rumour": 1}}]]),
    "title": ("Rubriken som den visas.", ["Förorenat dricksvatten"]),
    "titles": ("Titlar som gruppens personer kan ha.", [["reporter", "nyhetschef"]]),
    "to": ("Id för rollen som tar emot inspelet.", ["kommunikator"]),
    "topic": ("Id för ämnet det handlar om.", ["kokning"]),
    "topics": ("Ämnen invånarna frågar om (eller id för ämnen).", [["kokning"]]),
    "type": ("Vilket slag: bestämmer vilka andra nycklar som gäller.", ["missed"]),
    "value": ("Faktumets värde.", ["Ekebacka och Norrby", 1200]),
    "website": ("Webbplatsens adress.", ["www.ekebacka.se"]),
    "when": ("Villkoret som får inspelet att komma; type väljer slag.", [{"type": "missed", "inject": "larm-1"}]),
    "window": (f"Tidsfönstret ryktesandelen mäts över. {_DURATION}", ["15m"]),
    "within": (f"Inom denna tid efter inspelet. {_DURATION}", ["15m", "1h"]),
}

# Where a key means something else than in BY_KEY.
BY_DEFINITION: dict[tuple[str, str], Entry] = {
    ("Scenario", "description"): (
        "Vad scenariot handlar om (visas i genomgången före övningen).",
        ["Ett läckage i Ekebackas vattenverk."],
    ),
    ("Scenario", "id"): ("Scenariots id: a–z, A–Z, siffror, - och _.", ["dricksvatten"]),
    ("Scenario", "organisation"): (
        "Kommunen eller organisationen som övar.",
        [{"name": "Ekebacka kommun", "population": 25000}],
    ),
    ("Scenario", "title"): ("Scenariots rubrik.", ["Förorenat dricksvatten i Ekebacka"]),
    ("Scenario", "topics"): ("Ämnen invånarna frågar om.", [[{"id": "kokning", "keywords": ["koka", "kokning"]}]]),
    ("Scenario", "objectives"): (
        "Övningsmålen, vart och ett mätbart.",
        [
            [
                {
                    "id": "forsta-budskap",
                    "title": "Snabbt första budskap",
                    "criterion": {"type": "first_public_message", "within": "30m"},
                }
            ]
        ],
    ),
    ("Scenario", "injects"): (
        "Inspelen: vad som kommer, från vem, till vilken roll och när.",
        [
            [
                {
                    "id": "larm-1",
                    "at": "0m",
                    "channel": "phone",
                    "from": "anna-lindqvist",
                    "to": "kommunikator",
                    "text": "Hej, vad händer med vattnet?",
                }
            ]
        ],
    ),
    ("Organisation", "name"): ("Organisationens namn.", ["Ekebacka kommun"]),
    ("Role", "name"): ("Rollens namn.", ["Webbredaktör"]),
    ("Role", "description"): ("Vad rollen gör.", ["Uppdaterar kommunens webbplats."]),
    ("Persona", "organisation"): (
        "Organisationen personen tillhör; används av {sender.organisation}.",
        ["Länsstyrelsen i Kalmar län"],
    ),
    ("Persona", "title"): ("Personens titel; används av {sender.title}.", ["reporter"]),
    ("Persona", "description"): ("Vem personen är (för övningsledaren).", ["Envis reporter som ringer tillbaka."]),
    ("PersonaPool", "organisation"): ("Organisationen gruppens personer tillhör.", ["Region Kalmar län"]),
    ("PersonaPool", "size"): ("Hur många personer gruppen har (1–5000).", [5, 20]),
    ("Inject", "from"): ("Id för personen eller gruppen som skickar inspelet.", ["anna-lindqvist"]),
    ("Inject", "text"): BY_KEY["text"],
    ("Inject", "social"): (
        "En knuff åt en tråd i sociala medier när inspelet kommer.",
        [{"thread": "vatten", "spike": 30}],
    ),
    ("Inject", "objectives"): BY_KEY["objectives"],
    ("InjectGenerator", "from"): (
        "Personer eller grupper (id) som skickar; en dras för varje inspel.",
        [["journalister"]],
    ),
    ("InjectGenerator", "to"): ("Roller (id) som tar emot; en dras för varje inspel.", [["kommunikator"]]),
    ("InjectGenerator", "channels"): (
        f"Kanaler inspelen kommer i ({_choices(InjectChannel)}); en dras för varje inspel.",
        [["phone", "email"]],
    ),
    ("InjectGenerator", "start"): (f"När generatorn börjar, {_FROM_START}. {_DURATION}", ["0m", "30m"]),
    ("InjectGenerator", "kind"): ("Slaget av inspel: media, citizen, authority eller other.", ["media"]),
    ("InjectGenerator", "templates"): (
        "Texter för inspelen; en dras för varje inspel.",
        [["Hej, {sender.name} här. Vad gäller?"]],
    ),
    ("Checklist", "role"): ("Id för rollen som äger checklistan.", ["stabschef"]),
    ("Checklist", "title"): ("Checklistans rubrik.", ["Uppstart av staben"]),
    ("ChecklistItem", "text"): ("Vad som ska göras.", ["Larma stabschefen"]),
    ("ChecklistDone", "by"): (f"När checklistan senast ska vara avbockad, {_FROM_START}. {_DURATION}", ["45m"]),
    ("DecisionLogged", "by"): (f"När besluten senast ska vara loggade, {_FROM_START}. {_DURATION}", ["1h"]),
    ("WhenNoAction", "by"): (
        f"Villkoret gäller om handlingen inte gjorts senast då, {_FROM_START}. {_DURATION}",
        ["30m"],
    ),
    ("WhenNotYet", "by"): (f"Gäller bara efter denna tid, {_FROM_START}. {_DURATION}", ["20m"]),
    ("WhenAction", "action"): (f"Handlingen: {_ACTIONS}.", ["publish"]),
    ("WhenNoAction", "action"): (f"Handlingen: {_ACTIONS}.", ["publish"]),
    ("WhenNotYet", "action"): (f"Handlingen: {_ACTIONS}.", ["publish"]),
    ("FirstPublicMessage", "within"): (f"Inom denna tid från övningens start. {_DURATION}", ["30m"]),
    ("ResponseTime", "within"): (f"Varje inspel besvaras inom denna tid. {_DURATION}", ["15m"]),
    ("ResponseTime", "channels"): (f"Bara inspel i dessa kanaler ({_choices(InjectChannel)}).", [["phone", "email"]]),
    ("ResponseTime", "roles"): ("Bara inspel till dessa roller (id).", [["kommunikator"]]),
    ("ResponseTime", "share"): BY_KEY["share"],
    ("ExpectationsMet", "injects"): (
        "Bara dessa inspel (id); utan listan alla med förväntan.",
        [["larm-1", "media-2"]],
    ),
    ("ExpectationsMet", "share"): BY_KEY["share"],
    ("RumourPeak", "below"): ("Ryktesandelen (0–1, skrivs med punkt) ska hålla sig under detta.", [0.3]),
    ("Objective", "title"): ("Målets rubrik.", ["Snabbt första budskap"]),
    ("Objective", "description"): ("Vad målet prövar.", ["Kommunen går ut med ett första budskap inom 30 minuter."]),
    ("Expectation", "within"): (f"Inom denna tid efter att inspelet kom. {_DURATION}", ["15m"]),
    ("Expectation", "channels"): ("Bara publicering i dessa kanaler (bara med action: publish).", [["web", "social"]]),
    ("Expectation", "description"): (
        "Vad laget förväntas göra, i ord (för utvärderingen).",
        ["Bekräfta och hänvisa till webben."],
    ),
    ("SocialEffect", "thread"): ("Id för tråden som påverkas.", ["vatten"]),
    ("SocialReaction", "after"): (f"on: silence: efter så lång tystnad. {_DURATION}", ["60m"]),
    ("SocialReaction", "injects"): ("on: missed: bara när dessa inspel (id) missas.", [["larm-1"]]),
    ("SocialReaction", "topics"): (
        "on: publish: bara en publicering som tar upp ett av dessa ämnen (id).",
        [["kokning"]],
    ),
    ("SocialReaction", "channels"): ("on: publish: bara publicering i dessa kanaler.", [["web", "social"]]),
    ("SocialSpike", "at"): (f"När toppen kommer, {_FROM_START}. {_DURATION}", ["30m"]),
    ("SocialSpike", "size"): ("Så många inlägg i toppen.", [40]),
    ("SocialThread", "title"): ("Trådens rubrik.", ["Vattnet i Norrby"]),
    ("SocialThread", "templates"): (
        "Trådens egna mallar per kategori.",
        [{"question": ["Kan man dricka vattnet i {place}?"]}],
    ),
    ("SocialThread", "topic"): ("Id för ämnet tråden handlar om; dess inlägg bär det.", ["kokning"]),
    ("SocialModel", "templates"): ("Mallar per kategori för alla trådar.", [{"rumour": ["Hörde att {a|b} är stängt"]}]),
    ("PostTemplate", "text"): (
        "Inläggets text: {namn} är ett faktum, {author.name}, {organisation}, {time}, {place} …; {a|b|c} drar ett "
        "alternativ varje gång; {{ och }} är klammerparenteser.",
        ["Någon som vet om {place} har vatten?"],
    ),
    ("PostTemplate", "when"): (
        "Villkor som alla måste gälla för att mallen ska användas.",
        [[{"type": "inject", "inject": "larm-1"}]],
    ),
    ("PostTemplate", "facts"): (
        "Fakta (namn) som måste vara offentliga för att mallen ska användas.",
        [["smittkalla"]],
    ),
    ("PostTemplate", "topic"): ("Id för ämnet inlägget handlar om.", ["kokning"]),
    ("Topic", "title"): ("Ämnets rubrik.", ["Koka vattnet"]),
    ("Topic", "keywords"): BY_KEY["keywords"],
    ("Fact", "keywords"): ("Ord som avslöjar faktumet när en offentlig publicering nämner dem.", [["Norrby"]]),
    ("WhenMissed", "inject"): ("Id för inspelet vars förväntan har missats.", ["larm-1"]),
    ("WhenMet", "inject"): ("Id för inspelet vars förväntan har uppfyllts.", ["larm-1"]),
    ("WhenInjected", "inject"): ("Id för inspelet som har kommit.", ["larm-1"]),
    ("WhenCovered", "topic"): ("Id för ämnet som en publicering har tagit upp.", ["kokning"]),
    ("WhenContradicted", "topic"): ("Id för ämnet där en publicering har motsagt en tidigare.", ["kokning"]),
    ("FollowUp", "after"): (
        f"När journalisten ringer igen om det första samtalet inte besvarats. {_DURATION}",
        ["20m"],
    ),
    ("FollowUp", "thread"): ("Id för tråden artikeln hamnar i (standard: den första).", ["vatten"]),
    ("Scenario", "quality"): (
        "Klarspråksmål för lagets offentliga budskap: LIX, meningslängd, beståndsdelar och ord att undvika.",
        [{"lix": 40, "sentence_words": 20}],
    ),
    ("MessageQuality", "lix"): (
        "Högsta LIX (läsbarhetsindex) för ett offentligt budskap; 40 är lättläst för de flesta.",
        [40, 45],
    ),
    ("MessageQuality", "sentence_words"): ("Högsta genomsnittliga antal ord per mening.", [20, 15]),
    ("MessageQuality", "elements"): (
        "Beståndsdelarna ett budskap till allmänheten ska ha, var och en med nyckelord och/eller ämnen.",
        [[{"id": "var", "title": "Var det gäller", "topics": ["drabbat-omrade"]}]],
    ),
    ("MessageQuality", "avoid"): (
        "Ord att undvika i offentliga budskap: ett ord, eller ett ord med förklaringar och ett enklare ord.",
        [["ledningsnät", {"word": "E. coli-halt", "explained_by": ["bakterie"], "instead": "bakterier i vattnet"}]],
    ),
    ("AvoidWord", "word"): ("Ordet (fackspråket) att undvika.", ["E. coli-halt"]),
    ("AvoidWord", "explained_by"): (
        "Ord som förklarar det: står ett av dem i budskapet är ordet godtaget.",
        [["bakterie", "tarmbakterie"]],
    ),
    ("AvoidWord", "instead"): ("Ett enklare sätt att säga det.", ["bakterier från avlopp i vattnet"]),
    ("Expectation", "answers"): (
        "Med action: publish: ett ämne (t.ex. ett rykte) eller ett inspel vars ämnen publiceringen ska ta upp.",
        ["avlopp-i-kranen", "rykte-dammen"],
    ),
    ("Expectation", "until"): (
        "Med action: hold: id för inspelet vars ankomst avslutar väntan (inget publiceras i ämnena före det).",
        ["anhoriga-informerade"],
    ),
    ("Scenario", "exercise"): (
        "Uppgifter till rapportens försättsblad (frivilliga): slag, syfte, organisationer, övningsledare, utvärderare.",
        [{"type": "Seminarieövning", "facilitator": "Anna Berg"}],
    ),
    ("Exercise", "type"): ("Övningens slag.", ["Seminarieövning", "Funktionsövning"]),
    ("Exercise", "purpose"): (
        "Övningens syfte, i en eller några meningar.",
        ["Att öva kriskommunikationen den första timmen."],
    ),
    ("Exercise", "organisations"): ("Organisationer som deltar.", [["Ekebacka kommun", "Region Kalmar län"]]),
    ("Exercise", "facilitator"): ("Övningsledaren.", ["Anna Berg, säkerhetssamordnare"]),
    ("Exercise", "evaluators"): ("Utvärderarna.", [["Per Holm", "Länsstyrelsen i Kalmar län"]]),
    ("Platform", "kind"): (
        "Slaget av plattform: facebook, x, instagram, tiktok, comments (ett kommentarsfält) eller forum.",
        ["facebook", "comments"],
    ),
    ("Platform", "name"): ("Plattformens namn som det visas i flödet.", ["Ekebacka just nu"]),
    ("Platform", "official"): (
        "Kommunens eget konto publicerar här: lagets offentliga inlägg syns här, och invånare svarar under dem.",
        [True],
    ),
    ("SocialModel", "platforms"): (
        "Plattformarna trådarna finns på (utan dem: en lokal Facebookgrupp med kommunens kortnamn).",
        [[{"id": "fb-grupp", "kind": "facebook", "name": "Ekebacka just nu", "official": True}]],
    ),
    ("SocialThread", "platform"): ("Id för plattformen tråden finns på (standard: den första).", ["fb-grupp"]),
    ("SocialReaction", "generators"): (
        "Med on: missed: reaktionen gäller bara missade inspel från dessa generatorer (deras id).",
        [["medier"]],
    ),
    ("Inject", "do_not_answer"): (
        "Inspelet ska inte besvaras (t.ex. en utpressares mejl): botlagen svarar inte, och ett svar räknas "
        "mot laget i målen som gäller inspelet.",
        [True],
    ),
}


def entry(definition: str, key: str) -> Entry | None:
    """The description and examples of `key` in `definition`, or None when there is none."""
    return BY_DEFINITION.get((definition, key)) or BY_KEY.get(key)


def _id_entry(definition: str) -> Entry:
    noun = MODELS.get(definition, ("", ""))[0]
    return (f"Id för {noun}: unikt, med a–z, A–Z, siffror, - och _ (inga mellanslag eller åäö).", ["larm-1"])


def _with(node: dict[str, Any], text: str, examples: list[Any]) -> dict[str, Any]:
    # draft-07 ignores keywords beside `$ref`: wrap it, so the text is the property's own
    base = {"allOf": [{"$ref": node.pop("$ref")}]} if "$ref" in node else {}
    if "const" in node:  # a union's tag (`type: missed`): its one value is the example
        examples = [node["const"]]
    node.pop("title", None)  # pydantic's English title ("Partly Within") would show instead of the text
    return {**base, **node, "description": text, "examples": examples}


def _describe_properties(definition: str, node: dict[str, Any]) -> None:
    properties = node.get("properties", {})
    for key in properties:
        found = entry(definition, key)
        if key == "id" and (definition, key) not in BY_DEFINITION:
            found = _id_entry(definition)
        if found is not None:
            properties[key] = _with(properties[key], *found)


def describe(body: dict[str, Any]) -> None:
    """Put the Swedish texts into pydantic's schema `body`, in place."""
    _describe_properties("Scenario", body)
    body["description"] = MODELS["Scenario"][1]
    for name, definition in body.get("$defs", {}).items():
        _describe_properties(name, definition)
        if name in MODELS:
            definition["description"] = MODELS[name][1]
