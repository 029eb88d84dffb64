#!/usr/bin/env python3
"""Writes cld-release2-lists.tsv: the CLD Release 2 defined lists as the public sources give them.

The values DHSC's code holds are read from a clone of DataS-DHSC/ASC-CLD-LA-Dashboard (`git -C DIR show 9bee728:path`,
and 7396fab for Has Unpaid Carer), each checked to be there; the values only secondary sources or we give are listed
below with their source, as docs/reporting.md and the research notes (cld-release2.md) give them.

    python3 extract-cld-lists.py /path/to/ASC-CLD-LA-Dashboard > cld-release2-lists.tsv
"""
import re
import subprocess
import sys

REPO = sys.argv[1]
HEAD = "9bee728"
DHSC = f"DataS-DHSC/ASC-CLD-LA-Dashboard@{HEAD}"


def show(path, commit=HEAD):
    shown = subprocess.run(["git", "-C", REPO, "show", f"{commit}:{path}"], check=True, capture_output=True).stdout
    return shown.decode("utf-8", errors="replace")  # one file has a stray Latin-1 byte in a comment


def source(path):
    return f"{DHSC} {path}"


CLEANING = "Main_tables/docs/methodology/5-data-cleaning.md"
DEDUP = "Main_tables/docs/methodology/6-deduplication.md"
PERSON = "ASCOF_measures/Create_personal_details_table.sql"
A2 = "ASCOF_measures/Create_ASCOF_2A_2425_Onwards.sql"
D2 = "ASCOF_measures/Create_ASCOF_2D.sql"
E2 = "ASCOF_measures/Create_ASCOF_2E_2425_Onwards.sql"
D3 = "ASCOF_measures/Create_ASCOF_3D_2425_Onwards.sql"
WAIT = "Waiting_times/waiting_times_method.sql"
DERIVED = "Stored_procedures/create_GetDerivedFields_procedure.sql"
FACTS = f"{DHSC} 2.Services_fact.sql, 3.Requests_fact.sql, 4.Assessments_fact.sql, 5.Reviews_fact.sql"
PERSON_R1 = ("DataS-DHSC/ASC-CLD-LA-Dashboard@7396fab ASCOF_measures/Create_personal_details_table.sql "
             "('same in R2 as R1')")
SOCIAL_CARE_DATA = "secondary: SocialCareData/standard, Safeguarding Standard vocabularies 'from the ASC CLD specification'"
PSR_LABELS = "secondary: an ICB's dbt macro clean_asc_cld_primary_support_reason and DHSC GASCD filter labels"
R1_GUIDANCE = ("secondary: CLD Guidance, Release 1 (February 2023), as the Adult Social Care glossary "
               "(marketingteam125.wixsite.com/ascglossary) quotes it")
BRIEF = "not confirmed: issue 16's research brief gives Male, Female, Other, Unknown; no public source found"
OURS = "not confirmed: CareJourney's own wording, no public source"

rows = []


def add(column, status, values, where):
    for value in values:
        rows.append((column, status, value, where))


def present(path, values, commit=HEAD):
    text = show(path, commit)
    for value in values:
        assert value in text, f"{value!r} is not in {path}"
    return values


def block(path, header):
    """The values of a tab-separated mapping block in a methodology page, first column, placeholder left out."""
    text = show(path).split(header, 1)[1].split("```", 1)[0]
    values = [line.strip().split("\t")[0] for line in text.strip().splitlines()]
    return [value for value in values if value != "Invalid and not mapped"]


add("Client Type", "confirmed", present(E2, ["Service user"]), source(E2))
add("Client Type", "confirmed", present(PERSON, ["Unpaid carer", "Unpaid carer known by association"]), source(PERSON))
add("Gender", "partial", present(E2, ["Male", "Female"]), source(E2))
add("Gender", "partial", ["Other", "Unknown"], BRIEF)
add("Ethnicity", "confirmed", block(CLEANING, "Ethnicity_Cleaned\tEthnicity_Grouped"), source(CLEANING))
add("Primary Support Reason", "partial", [
    "Physical support: Access and mobility only", "Physical support: Personal care support",
    "Sensory support: Support for visual impairment", "Sensory support: Support for hearing impairment",
    "Sensory support: Support for dual impairment", "Support with memory and cognition",
    "Learning disability support", "Mental health support", "Social support: Substance misuse support",
    "Social support: Asylum seeker support", "Social support: Support for social isolation or other reason",
], PSR_LABELS)
add("Primary Support Reason", "partial", present(PERSON, ["Social support: Support to unpaid carer"]), source(PERSON))
add("Primary Support Reason", "partial", ["Unknown"], PSR_LABELS)
accommodation = re.findall(r"\('([^']+)',\s*[01],\s*\d+\)", show(E2))
add("Accommodation Status", "confirmed", [a for a in accommodation if not a.startswith("Unknown: ")], source(E2))
employment = show(PERSON).split("INSERT INTO #REF_Employment_Status", 1)[1].split(";", 1)[0]
add("Employment Status", "confirmed",
    [e for e in re.findall(r"\('([^']+)',\s*[01],\s*\d+\)", employment) if e != "Invalid and not mapped"],
    source(PERSON))
add("Has Unpaid Carer", "partial", present(PERSON, ["'Yes'", "'No'"], "7396fab") and ["Yes", "No"], PERSON_R1)
add("Has Unpaid Carer", "partial", present(PERSON, ["'Unknown'"]) and ["Unknown"], source(PERSON))
add("Autism Spectrum Disorder (ASD)", "unconfirmed", ["Yes", "No", "Unknown"], OURS)
add("Visual Impairment", "unconfirmed", [
    "Blind/severely sight impaired", "Partial sight/sight impaired", "Visual impairment - severity unknown",
    "No visual impairment", "Unknown"], SOCIAL_CARE_DATA)
add("Hearing Impairment", "unconfirmed", [
    "Deaf with speech", "Deaf without speech", "Hard of hearing", "Hearing impairment: Severity unknown",
    "No hearing impairment", "Unknown"], SOCIAL_CARE_DATA)
add("Dementia", "unconfirmed", ["Yes", "No", "Unknown"], OURS)
add("Client Funding Status", "partial", present(PERSON, [
    "Fully social care funded", "Joint client and social care funded", "Fully client funded"]), source(PERSON))
add("Client Funding Status", "partial", ["Unknown"], SOCIAL_CARE_DATA)
for fact, value in [("3.Requests_fact.sql", "Request"), ("4.Assessments_fact.sql", "Assessment"),
                    ("2.Services_fact.sql", "Service"), ("5.Reviews_fact.sql", "Review")]:
    present(fact, [f"'{value}'"])
add("Event Type", "confirmed", ["Request", "Assessment", "Service", "Review"], FACTS)
outcomes = re.findall(r"^\s*\d+\t(.+)$", show(DEDUP), re.M)
add("Event Outcome", "confirmed", [o for o in outcomes if not o.startswith("Release 1 specification only")],
    source(DEDUP))
add("Request: Route of Access", "unconfirmed", [
    "Self-Referral", "Community / Other route", "Discharge from Hospital", "Diversion from Hospital services",
    "Self-Funder with depleted funds", "Prison", "Planned Entry (Transition)"], OURS)
add("Assessment Type", "partial", present(WAIT, ["Short term assessment", "Long term assessment"]), source(WAIT))
add("Eligible Needs Identified", "unconfirmed", ["Yes", "No"], OURS)
add("Method of Assessment", "unconfirmed", ["Service user only", "Carer only", "Service user and carer"], R1_GUIDANCE)
add("Service Type", "confirmed", block(CLEANING, "Service_Type_Cleaned\tService_Type_Grouped"), source(CLEANING))
add("Service Component", "partial", present(D2, ["Reablement"]), source(D2))
add("Service Component", "partial",
    present(A2, ["Short term residential care", "Short term nursing care", "Equipment"]), source(A2))
add("Service Component", "partial", present(D3, ["Direct payment"]), source(D3))
add("Service Component", "partial", present(PERSON, [
    "Shared Lives", "Community supported living", "Extra care housing", "Home support or domiciliary care"]),
    source(PERSON))
add("Service Component", "partial", [
    "Long term nursing care", "Long term residential care", "Day support", "Meals", "Transport",
    "Professional support: Social worker", "Professional support: Other", "Learning, education or employment support",
    "End of life care", "Emergency support", "Other short term support", "Other long term support",
    "Unpaid carer respite", "Unpaid carer sitting service", "Unpaid carer universal services",
    "Other unpaid carer support"], SOCIAL_CARE_DATA)
add("Delivery Mechanism", "confirmed", present(D3, [
    "Direct payment", "CASSR managed personal budget", "CASSR commissioned support"]), source(D3))
add("Review Reason", "partial", present(DERIVED, ["Review of short term support"]), source(DERIVED))
add("Review Reason", "partial", [
    "Planned", "Unplanned - Hospital (Planned and unplanned episodes)", "Unplanned - Carer related",
    "Unplanned - Safeguarding concern", "Unplanned - Other Reason", "Unplanned - Provider Failure",
    "Unplanned - Change in Commissioning arrangements"], R1_GUIDANCE)
add("Review Outcomes Achieved", "unconfirmed", ["Outcomes met", "Outcomes partially met", "Outcomes not met"], OURS)
add("Method of Review", "unconfirmed", ["Service user only", "Carer only", "Service user and carer"], R1_GUIDANCE)
add("Cost Frequency (Unit Type)", "unconfirmed", [
    "Per session", "Hourly", "Daily", "Weekly", "Fortnightly", "4-weekly", "Monthly", "Quarterly", "Annually",
    "One-off"], SOCIAL_CARE_DATA)

print("# The CLD Release 2 defined lists as public sources give them (written by extract-cld-lists.py from DHSC's")
print(f"# repository at {HEAD}; secondary and unconfirmed values as the research notes give them). One value a line:")
print("# list (column)<TAB>status<TAB>value<TAB>source. Total Hrs Caring per week has no public values.")
for row in rows:
    print("\t".join(row))
