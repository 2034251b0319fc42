"""What the demo round is made of: made-up organisations, how their staff tend to answer,
and comments without personal data. Read by demo_round.py; nothing here touches the
database. Every name is invented; any likeness to a real council is chance."""
from __future__ import annotations

#: (type letter, number, name, Welsh name or None, partnership, staff invited per year).
#: W01 is the demo organisation itself (dev.DEMO_ORG), whose admin signs in.
ORGANISATIONS = [
    ("W", 1, "Demo County Council", "Cyngor Sir Demo", False, 170),
    ("W", 4, "Glanmor County Borough Council", "Cyngor Bwrdeistref Sirol Glanmor", False, 130),
    ("W", 7, "Bryn Teg County Council", "Cyngor Sir Bryn Teg", False, 110),
    ("W", 9, "Aberdyfrig City and County Council", "Cyngor Dinas a Sir Aberdyfrig", False, 150),
    ("W", 12, "Cwm Arian County Borough Council", "Cyngor Bwrdeistref Sirol Cwm Arian", False, 90),
    ("W", 15, "Gwynfor Shared ICT Service", "Gwasanaeth TGCh a Rennir Gwynfor", True, 120),
    ("S", 3, "Glenardle Council", None, False, 120),
    ("S", 8, "Strathmorven Council", None, False, 150),
    ("S", 11, "Inverbrae Council", None, False, 90),
    ("S", 17, "Kinloch Aird Council", None, False, 80),
    ("S", 20, "Dunmarran City Council", None, False, 170),
    ("E", 2, "Ashbourne Vale Council", None, False, 140),
    ("E", 5, "Castlebridge Borough Council", None, False, 170),
    ("E", 10, "Hartwell Council", None, False, 120),
    ("E", 14, "Redmarsh Council", None, False, 150),
    ("E", 19, "Westcombe Council", None, False, 110),
    ("E", 23, "Three Rivers Shared ICT Partnership", None, True, 190),
    ("C", 4, "Northfold County Council", None, False, 190),
    ("C", 6, "Eastmere County Council", None, False, 160),
    ("C", 13, "Hollinshire County Council", None, False, 200),
    ("C", 18, "Wealdham County Council", None, False, 150),
    ("D", 2, "Brackenfield District Council", None, False, 70),
    ("D", 7, "Fernley District Council", None, False, 60),
    ("D", 9, "Oakhurst District Council", None, False, 90),
    ("D", 16, "Millbrook District Council", None, False, 55),
    ("D", 21, "Thornmere Heath District Council", None, False, 80),
    ("D", 25, "Kestrel Downs District Council", None, False, 65),
    ("L", 3, "London Borough of Kingsgate", None, False, 160),
    ("L", 8, "London Borough of Elmstead", None, False, 140),
    ("L", 12, "London Borough of Riverside Fields", None, False, 120),
    ("L", 22, "London Borough of Highcross", None, False, 150),
    ("M", 1, "Calderford Metropolitan Borough Council", None, False, 180),
    ("M", 6, "Milltown Metropolitan Borough Council", None, False, 150),
    ("M", 10, "Stanmoor Metropolitan Borough Council", None, False, 130),
    ("M", 15, "Ironvale Metropolitan Borough Council", None, False, 170),
    ("O", 2, "Northvale Fire and Rescue Authority", None, False, 45),
    ("O", 5, "Southmoor National Park Authority", None, False, 35),
]

#: departments, as a participant list's `department` column would carry them
DEPARTMENTS = [
    ("Adult Social Care", 14), ("Children's Services", 14), ("Education", 10), ("Environment", 9),
    ("Finance", 8), ("Housing", 10), ("Highways and Transport", 8), ("Legal and Democratic Services", 5),
    ("Planning", 6), ("Revenues and Benefits", 9), ("Human Resources", 4), ("Customer Services", 7),
]

#: per factor: (satisfaction above or below the organisation's level, mean importance).
#: Importance runs above satisfaction for the factors people lean on most (fixing things,
#: downtime, systems), so their weight gaps are negative; performance monitoring and the
#: like matter less and come out near zero or above.
FACTORS = {
    "S1": (0.35, 5.6), "S2": (-0.25, 5.0), "S3": (0.10, 6.4), "S4": (0.45, 6.1), "S5": (0.55, 5.9),
    "S6": (-0.15, 5.6), "S7": (0.15, 6.0), "S8": (-0.05, 6.3), "S9": (0.20, 6.1), "S10": (0.25, 6.4),
    "S11": (-0.30, 5.5), "S12": (-0.10, 5.0), "S13": (-0.55, 5.4), "S14": (-0.20, 5.8), "S15": (-0.70, 5.7),
    "S16": (-0.35, 4.4), "S17": (-0.10, 6.2), "S18": (0.05, 6.3), "S19": (-0.45, 6.0), "S20": (-0.50, 5.2),
}
#: share of "Not applicable" per factor where it is more than the usual few
NOT_APPLICABLE = {"S2": 0.06, "S13": 0.10, "S16": 0.12, "S19": 0.08, "S20": 0.10}

#: per profile question: option -> (share of staff, effect on satisfaction)
PROFILE = {
    "device": {"desktop": (30, 0.0), "laptop": (45, 0.1), "tablet": (5, -0.1), "smartphone": (7, -0.15),
               "thin_client": (10, -0.3), "other": (3, 0.0)},
    "location": {"main_office": (45, 0.05), "other_building": (25, -0.25), "home": (20, 0.05),
                 "community": (8, -0.3), "other": (2, 0.0)},
    "role": {"front_line": (25, -0.1), "admin_support": (25, 0.0), "professional_technical": (24, 0.0),
             "manager": (15, 0.1), "senior_manager": (6, 0.2), "elected_member": (3, -0.2), "other": (2, 0.0)},
    "working_mode": {"office": (25, 0.0), "home": (15, 0.05), "hybrid": (45, 0.05), "mobile": (15, -0.25)},
}
#: the device class a browser reports (response.device_class), by the device people say they use
DEVICE_CLASSES = {"smartphone": {"mobile": 0.9, "desktop": 0.1}, "tablet": {"tablet": 0.85, "desktop": 0.15}}
DEFAULT_DEVICE_CLASSES = {"desktop": 0.86, "mobile": 0.12, "tablet": 0.02}

#: free-text comments: what satisfied, middling and dissatisfied staff tend to write.
#: None of them names anyone or carries an address or a number that identifies a person.
COMMENTS = {
    "en": {
        "high": [
            "The service desk is friendly and sorts things out quickly.",
            "Really happy with the new laptops, much faster than the old ones.",
            "ICT staff are always patient when explaining things. Thank you.",
            "Support has improved a lot since the move to the new ticket system.",
            "Video calls work well now, which makes hybrid working much easier.",
            "Whenever I have had a problem it has been fixed the same day.",
            "Good service overall. The self-service password reset is a real help.",
        ],
        "middle": [
            "Mostly fine, but it can take a long time to get new software approved.",
            "Would like more training on the systems we already have.",
            "The help desk is good but it is hard to get through by phone on Monday mornings.",
            "Printing is unreliable on the second floor.",
            "It would help to hear earlier about planned downtime.",
            "The case management system is slow in the afternoons.",
            "Some of the kit in the depots is quite old now.",
            "Better Wi-Fi in the libraries would make a big difference.",
            "More notice of changes to the office systems, please.",
        ],
        "low": [
            "Waiting weeks for a replacement laptop is not acceptable.",
            "Calls are closed before the problem is actually fixed.",
            "The business systems we rely on crash several times a week.",
            "Nobody seems to understand how our service actually works.",
            "Remote access drops out constantly when working from home.",
            "Requests for new equipment disappear into a black hole.",
        ],
    },
    "cy": {
        "high": [
            "Mae'r ddesg gymorth yn gyfeillgar ac yn datrys pethau'n gyflym.",
            "Diolch i'r tîm TGCh am eu gwaith caled.",
            "Mae'r gliniaduron newydd yn llawer cyflymach na'r hen rai.",
        ],
        "middle": [
            "Byddai hyfforddiant ar y systemau newydd yn help mawr.",
            "Mae'n cymryd gormod o amser i gael offer newydd.",
            "Mae'r wi-fi yn y llyfrgell yn torri'n aml.",
        ],
        "low": [
            "Mae'r system yn araf iawn bob bore.",
            "Mae'n anodd cael ateb gan y ddesg gymorth dros y ffôn.",
        ],
    },
}

#: a named peer group the demo could define once named groups exist (issue 15 part 2):
#: councils of a similar size to the demo organisation, of several types, as (type letter,
#: number). Not created yet.
PEER_GROUP = ("Councils of our size", [("W", 1), ("W", 4), ("W", 9), ("E", 5), ("E", 14), ("C", 6), ("M", 6),
                                       ("M", 10), ("S", 8), ("L", 8)])

#: the Digital Maturity Assessment's contributors, by the name the others see beside an
#: answer: a role, never a person's name. The first of each list leads the return.
DMA_LEADS = ["Head of Digital", "Digital Transformation Lead", "ICT Service Manager", "Chief Digital Officer",
             "Head of ICT and Digital"]
DMA_CONTRIBUTORS = ["Information Governance Officer", "Data and Insight Team", "Service Design Lead",
                    "Procurement and Contracts Manager", "Infrastructure Manager", "Organisational Development Lead",
                    "Customer Services Manager", "Cyber Security Officer"]
#: notes or evidence beside a statement, in the language an organisation writes them in
#: (Welsh organisations write some in Welsh). No names, addresses or dates of anyone's.
DMA_NOTES = {
    "en": {
        "yes": ["Agreed by Cabinet in the spring.", "Set out in the digital strategy, published on the website.",
                "In place across all services since last year.", "Part of the standard contract terms now.",
                "Reported to the leadership team every quarter."],
        "no": ["Piloted in two services so far; a wider roll-out is planned.",
               "Awaiting a decision by the leadership team.", "Training plan drafted but not yet funded.",
               "Part of the transformation programme's second phase.",
               "Depends on the new case management system."],
    },
    "cy": {
        "yes": ["Cytunwyd gan y Cabinet yn y gwanwyn.", "Wedi'i nodi yn y strategaeth ddigidol."],
        "no": ["Wedi'i dreialu mewn dau wasanaeth hyd yma.", "Yn aros am benderfyniad gan yr uwch dîm rheoli."],
    },
}
#: organisations whose return of this year is submitted but not yet released (provisional),
#: and one whose lead never submitted it before the assessment closed
DMA_UNRELEASED = [("E", 19), ("D", 25)]
DMA_UNSUBMITTED = [("M", 15)]
