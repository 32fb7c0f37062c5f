### The web interface (qorgau-web).

## Frame
nav-label = Sections
nav-dashboard = Overview
nav-triage = Signal queue
nav-cases = Cases
nav-referrals = Referrals
sign-out = Sign out
language = Language
skip-to-content = Skip to content
time-almaty = (Almaty)
none = none

## Errors
error-unauthenticated = Please sign in
error-forbidden = Not allowed
error-bad-request = The request was not accepted
error-not-found = Not found
error-conflict = In conflict with the current state
error-locked = The account is locked for now
error-too-many = Too many requests
error-internal = Internal error
error-back = Back to the overview

## Sign-in
sign-in-title = Sign in to Qorgau
sign-in-username = User name
sign-in-password = Password
sign-in-submit = Sign in
sign-in-hint = Accounts are issued by your agency's administrator.
sign-in-wrong = Wrong user name or password.
sign-in-locked = The account is locked after several failed attempts. Try again later.
sign-in-cross-site = The sign-in form was sent from another site and refused.

## Dashboard
dashboard-title = Overview
tile-new-signals = new signals
tile-open-cases = open cases
tile-referrals-waiting = referrals awaiting an answer
tile-overdue = deadlines missed
dashboard-deadlines = Referral deadlines
dashboard-flags = Flagged documents by week and scenario
dashboard-flags-total = { $count ->
    [one] { $count } flagged document in the monitoring archive.
   *[other] { $count } flagged documents in the monitoring archive.
}
dashboard-flags-empty = Nothing flagged in the last weeks.
dashboard-platforms = Flagged documents by platform
dashboard-regions = Flagged documents by region
dashboard-regions-note = By the cities and towns an ad names; an ad naming two regions counts in both.
dashboard-suppressed = withheld (under k)
region-unstated = no place in Kazakhstan named
platform-unknown = platform not given

## Triage
triage-title = Signal queue
triage-status = Signal status
triage-count = { $count ->
    [one] { $count } signal
   *[other] { $count } signals
}
triage-empty = No signals.
signal-source = Source
signal-resource = Resource
signal-reported = Received
signal-reports = { $count ->
    [one] { $count } report
   *[other] { $count } reports
}
document-platform = Platform
document-deleted = deleted
document-cluster = Template cluster
cluster-size = { $count ->
    [one] { $count } document
   *[other] { $count } documents
}
document-network = Network
document-minor = A minor may be involved
document-identifiers = Identifiers
dampener = lowers the score
accept-title = Title of the new case
accept-submit = Accept into a new case
accept-capture = Preserve the ad's page in the case now (capture in the background)
accept-capture-note = preserved on acceptance from triage
dismiss-category = Reason for dismissal
dismiss-reason = Explanation (kept for the lexicon review)
dismiss-submit = Dismiss

signal-status-new = New
signal-status-accepted = Accepted
signal-status-dismissed = Dismissed
signal-source-detection = detection engine
signal-source-partner = partner
signal-source-complaint = citizen complaint
signal-source-manual = by hand

dismissal-legitimate = legitimate offer (checked)
dismissal-not-trafficking = not about trafficking
dismissal-duplicate = duplicate
dismissal-insufficient = too little to act on
dismissal-out-of-jurisdiction = outside jurisdiction
dismissal-other = other

scenario-employment-abroad = employment abroad
scenario-modeling-webcam = modelling / webcam
scenario-romance-grooming = romance / grooming
scenario-escort-services = escort services
scenario-sextortion = sextortion
scenario-minor-involved = minors
scenario-none = no scenario

identifier-phone = phone
identifier-email = e-mail
identifier-url = link
identifier-domain = domain
identifier-handle = account
identifier-telegram = Telegram
identifier-whatsapp = WhatsApp
identifier-instagram = Instagram
identifier-tiktok = TikTok
identifier-card = card
identifier-iban = IBAN
identifier-wallet = wallet
identifier-iin = IIN
identifier-resource = resource

## Cases
cases-title = Cases
cases-empty = No cases yet.
case-name = Number
case-title = Title
case-kind = Kind
case-status = Status
case-access = Access
case-updated = Changed
case-owner = lead agency
case-articles = Qualification
case-persons = Persons
case-keys = Resources and identifiers
case-documents = Monitored documents
case-notes = Notes
case-evidence = Evidence
case-timeline = Timeline
case-checklist = Checklist (study section 5.3)
checklist-progress = { $done } of { $total } done
case-referrals = Referrals
evidence-file = File
evidence-type = Type
evidence-size = Size, bytes
evidence-acquired = Acquired

case-kind-criminal = criminal
case-kind-support = victim support
case-status-open = open
case-status-closed = closed
scope-operational = operational
scope-evidence = evidence
scope-identifiers = identifiers
scope-victim-support = victim support
scope-statistics = statistics
person-role-suspect = suspect
person-role-victim = victim
person-role-witness = witness
task-status-open = open
task-status-done = done
task-status-not-applicable = not applicable
event-case-opened = case opened
event-acquired = acquired into the vault
event-viewed = viewed
event-exported = exported
event-verified = verified
event-transferred = transferred
event-note = note
event-investigative-step = investigative step
event-read = read
event-restricted = restricted
event-examined = examined
event-changed = changed

## Referrals
referrals-title = Referrals
referrals-incoming = Incoming
referrals-outgoing = Outgoing
referral-case = Case
referral-open-case = open the case
referral-agency = Agency
referral-state = State
referral-sent = Sent
referral-acknowledge-by = Acknowledge by
referral-act-by = Act by
referral-overdue = overdue
referral-step = Step
referral-outcome = Outcome (when closing)
referral-note = Note
referral-step-submit = Record
referral-state-sent = sent
referral-state-acknowledged = acknowledged
referral-state-rejected = rejected
referral-state-acted = in action
referral-state-closed = closed
referral-action-acknowledge = acknowledge
referral-action-reject = reject
referral-action-act = report action
referral-action-close = close
outcome-services-given = services given
outcome-refused-by-person = refused by the person
outcome-unreachable = unreachable
outcome-referred-elsewhere = referred elsewhere
outcome-no-action-needed = no action needed
outcome-other = other

agency-mvd-cyber = MIA cyber-police
agency-mvd-investigation = MIA investigative units
agency-prosecutor = Prosecutor's office
agency-child-rights-committee = Committee for the Protection of Children's Rights
agency-social-services = Social services
agency-ngo = Victim-support NGOs
agency-fiu = Financial Monitoring Agency (FIU)
agency-interpol-ncb = Interpol NCB

## Qualification and routing
case-qualify = Qualify and route
qualify-title = qualification and routing
qualify-questions = The qualification assistant's questions
qualify-assess = Show the articles
qualify-candidates = Candidate articles
qualify-no-candidates = The answers do not yet support any article.
qualify-routing-facts = Facts for routing
qualify-routing-hint = On saving, the routing rules run at once: agencies receive referrals with deadlines.
qualify-save = Save the qualification and route
answer-yes = yes
answer-no = no
answer-unknown = not known
candidate-answered = every element answered
candidate-to-prove = still to prove
candidate-established = Established
candidate-features = Qualifying features
candidate-open = To find out
candidate-penalty = Sanction
fact-region = Region (ISO 3166-2:KZ code)
law-group-act = Act
law-group-purpose = Purpose
law-group-victim = Victim
law-group-offender = Offender
law-group-method = Method
law-group-consequence = Consequences
law-group-conduct = Specific conduct
fact-minor-involved = A minor is involved
fact-victim-identified = A victim is identified
fact-victim-consent = The victim's consent to referral is recorded
fact-crypto-involved = Crypto-assets are involved
fact-foreign-hosting = A resource is hosted abroad
fact-foreign-suspects = Suspects are abroad or foreign nationals

## Public complaint form
sign-in-report = Report a suspicious ad without signing in
report-title = Report a suspicious ad
report-emergency = If you or someone else is in danger right now, call 102 or 112.
report-intro = Describe what you saw: a job offer abroad, an offer of "easy money", a request to send photos or pay in advance. Law-enforcement specialists receive the report.
report-text = What happened
report-link = Link to the ad, channel or site
report-contact = Phone number or account the recruiter used (a link or a contact is needed — at least one)
report-privacy = We do not ask for your name or contacts and do not keep your address. Do not give victims' personal data.
report-submit = Send
report-status-link = Check a report's status with its code
report-received = Report received
report-keep-receipt = Keep this code: it is the only way to learn what became of the report. We show it once.
report-status-title = Status of a report
report-receipt = Report code
report-status-submit = Check
report-status = Status
report-received-at = Received
report-changed-at = Changed
report-no-such-receipt = No report with this code. Check the code.
complaint-status-received = received
complaint-status-in-review = in review
complaint-status-passed-to-agency = passed to the competent agency
complaint-status-closed = review completed

## Evidence item
evidence-back = back to the case
evidence-item = Item
evidence-note = Note
evidence-download = Download (hash checked, recorded in the ledger)
evidence-verification = Integrity check
evidence-never-checked = Not checked on its own yet (the whole vault: qorgau verify).
evidence-verify-now = Check now (re-hash)
evidence-intact = Intact: the content matches its MD5 and SHA-256 and the ledger vouches for its record
evidence-altered = NOT intact: the content or its record does not match
evidence-preview = Preview
evidence-preview-logged = Every showing is recorded in the custody ledger.
evidence-custody = Chain of custody
evidence-entry-hash = ledger entry hash
evidence-metadata = File metadata

## Capture from the case
capture-title = Preserve a page
capture-url = Address of the page or channel (https://t.me/s/…)
capture-note = Why it is preserved (kept with the evidence)
capture-submit = Preserve
job-queued = Waiting for a worker…
job-retrying = The last attempt failed and will be retried
job-no-worker = No worker is running: the job waits until one starts (`qorgau worker`, or ask the administrator).
job-running = Capturing…
job-done = Captured and stored in the vault
job-failed = The capture failed
job-working = Working…
job-finished = Done
job-failed-other = Failed
capture-final-url = Final address
capture-items = Files
capture-manifest = Manifest SHA-256
capture-partial = PARTIAL capture

## Money
case-money = Money: transfers and red flags
case-identities = Virtual identities in use
case-identity-handles = Identity
case-identity-authorisation = Court authorisation
case-identity-valid-until = Valid until
case-identity-opened = Operation opened
case-identity-actions = Actions logged
case-identity-expired = authorisation expired: no further use
case-identity-register = The register of identities
money-title = The case's money
money-flags = Red flags
money-graph = Flow graph
money-hops = Hops from the centre
money-graph-hint = The centre is red; every account is a link that re-centres the graph on it. Hover over a line to see the total and the number of transfers.
money-accounts = Accounts, cards and wallets
money-account = Account
money-label = Label from the lists
money-seen = Seen in
money-privacy-coin = privacy coin (prohibited in Kazakhstan)
money-transfers = Transfers
money-time = Time
money-from = From
money-to = To
money-amount = Amount
money-source = Source
money-flag = Flag
money-score = Strength
money-window = Window
money-explanation = What shows
flag-fan-in = fan-in to a dropper
flag-pass-through = pass-through
flag-structuring = structuring
flag-peel-chain = peel chain
flag-coinjoin = CoinJoin / mixer
flag-label-exposure = exposure to a labelled address
flag-privacy-coin = privacy coin

## Victim screening
nav-screening = Screening
screening-title = Victim screening
screening-intro = Indicators by group, the digital block included (study section 4.3). The person may decline to answer: mark "declined". Identification does not need a criminal case.
screening-label = How the case refers to the person (a pseudonym)
screening-label-example = Person K.
screening-minor = Age
screening-case = Case
screening-new-support-case = no case: open a support case
screening-personal = Personal data (sealed on arrival)
screening-personal-hint = Give only what help needs; the data opens only to roles allowed to see it, and by the person's consent.
screening-family = Family name
screening-given = Given name
screening-birth = Date of birth
screening-phone = Phone (ask the person whether calling is safe)
screening-strong = strong indicator
screening-submit = Score
screening-open-case = Open the case
screening-sent = Referred to
screening-nothing-stored = Negative: nothing was stored.
answer-not-sure = not sure
answer-declined = declined to answer
minor-unknown = not known
minor-minor = minor
minor-presumed-minor = presumed minor
minor-adult = adult
screening-group-physical = Physical
screening-group-psychological = Psychological
screening-group-economic = Economic
screening-group-digital = Digital

## Network view
nav-network = Networks
network-title = Networks: documents and shared identifiers
network-intro = Flagged documents joined by the phones, accounts, cards, domains and pictures they share, as the detection engine linked them. Hubs (shared services, a picture in very many ads) are not taken as links.
network-documents = Documents
network-shared = Shared identifiers
network-platforms = Platforms
network-span = Span
network-deleted = { $count ->
    [one] { $count } deleted
   *[other] { $count } deleted
}
network-all = all networks
network-graph-hint = Squares are documents (red: deleted), circles identifiers; every node is a link that re-centres the graph on it. More hops widen it.
network-seen = Seen
network-picture = Picture
network-picture-hint = Documents showing this picture or a near-duplicate of it (re-encoded, resized, cropped or captioned), by perceptual hashes. A link for an investigator to check, not proof that the pictures are the same.
network-picture-where = Where the copy is
network-picture-distance = pHash bits from the group's picture

## Administration
nav-admin = Administration
admin-title = Administration
admin-users = Accounts
admin-display-name = Display name
admin-roles = Roles
admin-state = State
admin-disabled = disabled
admin-locked = locked until
admin-active = active
admin-new-user = New account
admin-initial-password = Initial password (12 characters or more)
admin-create-user = Create
admin-agencies = Agencies
admin-code = Code
admin-kind = Kind
admin-name = Name
admin-routing = Routing rules: preview
admin-routing-rules = Rules in force
admin-routing-preview = Show the referrals
admin-why = By the rules
role-administrator = administrator
role-analyst = analyst
role-investigator = investigator
role-supervisor = supervisor
role-prosecutor = prosecutor
role-social-worker = social worker
role-ngo-worker = NGO worker
role-partner-system = partner system

## Statistics
article-short = art. { $article }
dashboard-statistics = Cases by article and year
dashboard-study-figures = MIA figures quoted in the study (section 4.1)
dashboard-study-figures-note = Only the figures the study states exactly; national, without regions.
dashboard-own-figures = Criminal cases in Qorgau
dashboard-own-figures-empty = No qualified criminal cases yet.
dashboard-own-figures-note = Counts under { $k } are withheld, with the cells that would give them away: the table can be published.
dashboard-year = Year
dashboard-cases = Cases
dashboard-article = Article

## Exports
exports-title = Protocol and hand-over package
exports-protocol-lang = Language of the protocol
exports-protocol = Protocol of inspection (PDF)
exports-wacz = WACZ package (pages replayable)
exports-bagit = BagIt bag of all evidence (ZIP)
exports-hint = The file is made in the background; its hash goes into the case's custody ledger.
job-title = Background job
job-download = Download the file

## Victim record
victim-title = Victim
victim-logged = Every opening of this record goes into the case's custody ledger: who, when, which categories of data.
victim-personal = Personal data (opened by your role and the person's consent)
victim-sealed = The record without personal data (the personal data is sealed)
victim-consents = The person's consents
victim-withdraw-note = The person's words or the circumstances
victim-withdraw = Withdraw the consent
victim-new-consent = Record a new consent
victim-recipient = Who may receive the data
victim-purpose = For what
victim-method = How it was given
victim-reference = Form number, witness or legal representative
victim-relation = Relation to the child (legal representative)
victim-categories = Which data
victim-record-consent = Record the consent
purpose-special-social-services = special social services
purpose-shelter = shelter
purpose-legal-aid = legal aid
purpose-medical-care = medical care
purpose-child-protection = child protection
purpose-criminal-proceedings = criminal proceedings
purpose-repatriation = repatriation
consent-method-signed-form = signed form
consent-method-oral-with-witness = oral, with a witness
consent-method-legal-representative = legal representative
victim-field-identity = names and birth date
victim-field-contacts = contacts
victim-field-address = address
victim-field-documents = documents
victim-field-notes = notes
victim-field-screening = screening
victim-field-health = health
victim-field-images = images

## Takedowns
takedowns-title = Takedown requests
takedowns-reply-by = Platform's reply due by
takedowns-new = New request
takedowns-url = Address of the resource
takedowns-recipient = Addressee (the platform's law-enforcement contact, «Кибернадзор»)
takedowns-basis = Legal basis
takedowns-send-now = Mark it sent now
takedowns-hint = A request is accepted only when the case holds a capture of the resource whose files pass the hash check.
takedowns-open = Open the request
takedown-state-draft = draft
takedown-state-sent = sent
takedown-state-acknowledged = acknowledged by the platform
takedown-state-removed = removed
takedown-state-partially-removed = partially removed
takedown-state-refused = refused
takedown-state-no-reply = no reply
takedown-state-withdrawn = withdrawn
takedown-action-send = send
takedown-action-reply = record the reply
takedown-action-withdraw = withdraw
takedown-outcome-acknowledged = acknowledged
takedown-outcome-removed = removed
takedown-outcome-refused = refused
takedown-outcome-partially = partially
takedown-outcome-no-reply = no reply
platform-telegram = Telegram
platform-instagram = Instagram
platform-tiktok = TikTok
platform-vk = VK
platform-whatsapp = WhatsApp
platform-youtube = YouTube
platform-website = website
platform-kibernadzor = «Кибернадзор»

## Cluster template
cluster-template = Template of the ads
cluster-intro = { $count ->
    [one] { $count } flagged document in this cluster of near-identical texts.
   *[other] { $count } flagged documents in this cluster of near-identical texts.
}
cluster-slot = { $count ->
    [one] { $count } variant
   *[other] { $count } variants
}

## Virtual identities
nav-identities = Identities
identities-title = Controlled virtual identities
identities-intro = The agency's operative accounts: used only under a court authorisation valid now for the platform and after every safeguard against provocation is acknowledged (study section 4.2). Every action is logged.
identities-officer = Responsible officer
identities-authorisations = Court authorisations
identities-no-authorisation = No authorisation: no operation is possible.
identities-open-operation = Open an operation
identities-safeguards = Safeguards against provocation (acknowledge each)
identities-open = Open the operation

## Routing rule editor
rules-title = Routing rules
rules-open = Edit the rules
rules-text = The rules (TOML, format = 1)
rules-note = Why they change (kept in the history)
rules-check = Check and show the affected cases
rules-save = Save for every server and worker
rules-invalid = The rules are not valid; nothing was saved:
rules-valid = The rules are valid:
rules-saved = Saved and in force:
rules-refused = Not saved:
rules-sweep = The referrals the new rules require are being sent by job
rules-no-impact = No open case would be routed differently.
rules-would-send = Would be sent to
rules-would-hold = Required but held
rules-no-longer = No longer required (the referral stays)
rules-history = History
rules-never-saved = The rules have not been changed in the server yet.
rules-version = Version
rules-saved-at = Saved
rules-saved-by = By
lexicon-title = Indicator lexicon
lexicon-open = Open the lexicon: files, proposals, how each indicator fares in triage
lexicon-in-force = In force:
lexicon-entries = indicators and dampeners
lexicon-approved-by = Approved by
lexicon-proposed-by = Proposed by
lexicon-builtin = The built-in lexicon shipped with Qorgau is in force; no change has been approved in this server yet.
lexicon-applies = An approved lexicon is used by every monitoring run and scan job from its next start; documents already assessed keep the version they name.
lexicon-files = Files
lexicon-file = File
lexicon-edit = Edit
lexicon-new-file = Add a file
lexicon-proposals = Proposals
lexicon-no-proposals = No change has been proposed yet.
lexicon-version = Version
lexicon-state = State
lexicon-in-force-tag = in force
lexicon-indicators = Indicators in triage
lexicon-indicators-hint = For each indicator: the flagged documents it fired in and what analysts decided about their signals. A high dismissed share with the same reasons is where the lexicon misfires.
lexicon-no-decisions = No flagged document has been decided in triage yet.
lexicon-indicator = Indicator
lexicon-fired = Fired in
lexicon-accepted = Accepted
lexicon-dismissed = Dismissed
lexicon-waiting = Waiting
lexicon-reasons = Dismissal categories and latest reasons
lexicon-edit-hint = The file is TOML as described in the lexicon's README. Check shows the errors or the difference and the archived ads the edit would flag differently; a proposal is in force only after another person approves it.
lexicon-invalid = The lexicon does not load; nothing was saved:
lexicon-valid = The edited lexicon loads:
lexicon-refused = Not saved:
lexicon-text = Contents (TOML)
lexicon-remove-file = Remove this file from the lexicon
lexicon-note = What the change does and why (kept with the proposal)
lexicon-check = Check and show the effect
lexicon-propose = Propose for review
lexicon-no-change = No file differs from the lexicon in force.
lexicon-file-added = added
lexicon-file-removed = removed
lexicon-file-changed = changed
lexicon-document = Document
lexicon-risk = Risk (before → after)
lexicon-scenario = Scenario (before → after)
lexicon-indicators-after = Indicators after the change
lexicon-impact-checked = Archived documents scored with both lexicons:
lexicon-no-impact = No archived document would be flagged differently.
lexicon-newly-flagged = Newly flagged
lexicon-no-longer-flagged = No longer flagged
lexicon-scenario-changed = Flagged under another scenario
lexicon-proposal = Lexicon proposal
lexicon-based-on = Edited from
lexicon-reviewed-by = Reviewed by
lexicon-review-note = Reviewer's reason
lexicon-stale-hint = Another change was approved after this one was made: approving it would undo that change. Edit the lexicon in force and propose again.
lexicon-approve = Approve and put in force
lexicon-reject = Reject
lexicon-four-eyes = A supervisor other than the author reviews this proposal.
lexicon-diff = Changes
lexicon-impact = Effect on the archive
lexicon-status-pending = awaiting review
lexicon-status-stale = outdated
lexicon-status-approved = approved
lexicon-status-rejected = rejected
import-open = Bring in a file: transactions or an export to scan
import-title = Bring a file into the case
import-money-title = Import transactions
import-money-hint = A TRON or Ethereum explorer export, Bitcoin transactions as JSON, or a bank statement with its column mapping. Bad rows are reported with their line; the rest is imported, and the file's hashes go into the case's ledger.
import-scan-title = Scan an export
import-scan-hint = A Telegram export, scraped ads or pages: every document is scored with the approved lexicon; the results are a file to download, one line per document.
import-format = Format
import-map = Column mapping (bank statements)
import-text-column = CSV: the column holding the text
import-file = File
import-start = Upload and start
job-documents = documents
job-flagged = flagged for review
job-rows = Rows read
job-rows-new = New transfers
job-row-errors = Bad rows (reported, not imported)
job-line = line

## A captured page on the evidence item page; mirror-domain timelines on the networks page
captured-page = Captured page
captured-no-links = This file is part of a capture. The addresses are text, not links, so that nobody reaches the site by a slip of the mouse: one click selects an address to copy into an isolated browser. The DOM and the web archive are the site's own code and are only downloaded, never shown here.
captured-url = Address asked for
captured-page-title = Page title
captured-started = Capture started
captured-finished = Capture finished
captured-status = HTTP status
captured-no-status = no answer
captured-engine = Captured with
captured-engine-browser = headless browser (Chromium)
captured-engine-http = plain HTTP, no browser
captured-kind-page = page
captured-kind-channel = public channel
captured-time-stamp = Time stamp (RFC 3161)
captured-time-stamped = time-stamped
captured-no-time-stamp = none
captured-by = Captured by
captured-screenshot = Screenshot
captured-text = Visible text
captured-text-logged = Read through the content endpoint after re-hashing: every showing is recorded in the custody ledger of text.txt.
captured-text-too-large = The text is too long to show here.
captured-text-open = Open the text file
captured-text-unreadable = The text could not be read (its check failed or the file is missing).
captured-files = Files of this capture
captured-role = What it is
captured-this-item = this item
captured-hostile = download only: the site's own code
captured-role-warc = web archive (WARC)
captured-role-screenshot = screenshot
captured-role-dom = page markup (DOM)
captured-role-title = title
captured-role-text = visible text
captured-role-links = outgoing links
captured-role-media = embedded media
captured-role-capture = capture record
captured-role-manifest = manifest of hashes
captured-role-time-stamp = time-stamp token
captured-role-post = channel post
captured-role-other = other file
mirror-title = Mirror domains
mirror-intro = Sites that hop to a new domain when the old one is blocked, grouped by the detection engine: one row per domain, a bar from the first to the last time an ad on it was seen, a cross where an ad was found deleted, in the order the domains appeared.
mirror-none = No mirror domains among the flagged documents.
mirror-more = Other groups
mirror-group = Mirror domains
mirror-caption = { $count ->
    [one] { $name }: { $count } domain
   *[other] { $name }: { $count } domains
}
mirror-why = Why they are grouped
mirror-timeline-hint = Bars: first to last sighting of an ad on the domain; crosses: ads found deleted; dashed lines: the hop to the next domain. Dates
mirror-domain = Domain
mirror-first-seen = First seen
mirror-last-seen = Last seen
mirror-deleted = Ads found deleted
mirror-of = mirror of { $name }
mirror-reason-same-label = the same name «{ $name }» under another suffix
mirror-reason-same-base = the same name «{ $name }» with digits or version words changed
mirror-reason-look-alike = a look-alike spelling of «{ $name }» (homoglyphs, leetspeak or IDN)
mirror-reason-same-content = near-identical page content ({ $count ->
    [one] fingerprints { $count } bit apart
   *[other] fingerprints { $count } bits apart
})
mirror-reason-shared-owner = the same name «{ $name }», and their ads are linked by shared identifiers
mirror-reason-near-name = { $count ->
    [one] the name differs by { $count } character
   *[other] the name differs by { $count } characters
}

# Suspected child sexual abuse material (issue 8)
restricted-banner = Marked as suspected child sexual abuse material
restricted-short = restricted material
restricted-not-for-your-role = This item is marked as suspected child sexual abuse material. Your role may not view it.
restricted-reveal = Show the original (recorded in the ledger)
restricted-blur-again = Blur again
restricted-basis = Marked by
restricted-basis-person = a person who saw it
restricted-basis-hash-list = a hash list of the competent authority
restricted-reason = Reason
restricted-matched-on = Matched hash
restricted-marked = Marked
restricted-rules = Shown blurred by default and only to investigators, supervisors and prosecutors; every showing is recorded; never shared as indicators; an export needs a recorded authorisation.
restricted-release-reason = Why the mark is wrong
restricted-release = Clear the mark
restricted-mark-title = Mark as suspected child sexual abuse material
restricted-mark-reason = Why
restricted-mark = Mark
restricted-history = Marks and releases
restricted-action-mark = marked
restricted-action-clear = cleared
exports-restricted = This case holds items marked as suspected child sexual abuse material: an export needs the reference of the decision that authorises it, recorded in the ledger
exports-restricted-not-yours = This case holds items marked as suspected child sexual abuse material: only investigators, supervisors and prosecutors may export it.
exports-authorisation = Authorisation (decision, number, date, by whom)

# Authenticity signals (issue 8)
authenticity-title = Authenticity signals
authenticity-open = Authenticity signals
authenticity-back = Back to the item
authenticity-not-a-verdict = These are observations for an examiner, not a verdict: each says what it may mean and what it cannot show. Only a person concludes, and the conclusion is recorded in the custody ledger.
authenticity-signals = What the checks observed
authenticity-no-signals = No check observed anything in particular; see the notes for checks that could not run.
authenticity-level-note = note
authenticity-level-worth-examining = worth examining
authenticity-observed = Observed
authenticity-may-mean = May mean
authenticity-cannot-show = Cannot show
authenticity-notes = Checks that could not run
authenticity-method = Method
authenticity-quantisation = JPEG quantisation tables
authenticity-nearest-quality = Nearest standard (IJG) quality:
authenticity-no-quality = No standard quality is near
authenticity-standard-tables = the standard IJG tables (software encoders, messengers, editors)
authenticity-custom-tables = tables other than the IJG ones (camera firmware, some editors)
authenticity-table = Table
authenticity-error-level = Error level analysis
authenticity-error-level-hint = A visual aid: edges and textures light up by themselves, and a picture saved many times is dark all over. Every showing is recorded.
authenticity-first-source = First source in the vault
authenticity-first-is-this = This item is the earliest copy of the picture in the vault
authenticity-first-acquired = Earliest copy acquired
authenticity-first-kind = Copy
authenticity-same-bytes = the same bytes
authenticity-near-copy = the same picture re-encoded (pHash distance)
authenticity-first-item = Item
authenticity-first-hidden = in a case you may not see
authenticity-captured-from = Captured from
authenticity-copies = Copies in the vault
authenticity-conclusions = Examiners' conclusions
authenticity-conclusion = Your conclusion (what you examined, what you conclude and how sure you are)
authenticity-record = Record in the ledger
authenticity-record-hint = Recorded as an "examined" entry in the item's custody under your name; it cannot be changed afterwards.
identifier-image = picture
