### Record of inspection of an internet resource (English version of the
### protocol; same content as the Russian one).

protocol-doc-title = Record of inspection of an internet resource
protocol-heading = RECORD OF INSPECTION
protocol-subheading = of an internet resource
protocol-case-line = in case (file) No. { $case } “{ $title }”

## 1. General information

section-general = 1. General information
field-place = Place
field-started = Inspection started
field-finished = Inspection finished
field-inspector = Inspected by
field-participants = Participants
field-grounds = Grounds and purpose
field-tool = Software
field-host = Computer (host name)
field-source-ip = Network address the inspection was made from
tool-value = { $name }, version { $version }
time-both = { $utc } UTC ({ $local } Almaty time, UTC{ $offset })
# A step's time: Almaty local time first, UTC in brackets.
time-step = { $local } ({ $utc } UTC)
role-specialist = specialist
role-witness = attesting witness
role-interpreter = interpreter
role-other = participant
protocol-intro = Using the software named above, { $count ->
    [one] { $count } internet resource listed below was
   *[other] { $count } internet resources listed below were
} inspected. The resources were accessed over the Internet; their content was recorded as screenshots, page source (HTML), a record of the network exchange (WARC) and metadata. MD5 and SHA-256 hash values of every file obtained were computed at once; further work is done on copies only.

## 2. What the inspection found

section-targets = 2. Findings
target-heading = Resource { $n } of { $total }
field-url = Address (URL)
field-final-url = Final address after redirects
field-server-ip = Server IP address
field-title = Page title
field-http-status = HTTP status code
field-tls = TLS certificate
tls-value = subject: { $subject }; issuer: { $issuer }; valid from { $from } to { $to }
field-captured = Captured at
target-partial = Capture incomplete: { $reason }
target-partial-no-reason = Capture incomplete; no reason given.
steps-heading = Course of the inspection
steps-col-time = Time (Almaty)
steps-col-action = Action
step-open = Opened { $url }
step-redirect = Redirect (HTTP { $status }) from { $from } to { $to }
step-loaded = Page loaded, network activity finished
step-scrolled = Page scrolled to the end to load deferred content
step-screenshot = Full-page screenshot taken: { $file }
step-dom = Page source (HTML) saved: { $file }
step-warc = Network exchange saved as WARC: { $file }
step-hashed = MD5 and SHA-256 hash values computed for { $count ->
    [one] { $count } file
   *[other] { $count } files
}
step-timeout = Page did not finish loading within { $seconds } s; the loaded content was recorded
step-timestamp = Time stamp obtained from { $authority }
screenshots-heading = Screenshots
screenshot-caption = Screenshot “{ $name }” ({ $width }×{ $height } px)
screenshot-continued = Screenshot “{ $name }”, continued (part { $part } of { $parts })
hash-sha256 = SHA-256: { $hash }
hash-md5 = MD5: { $hash }
no-targets = No resources were inspected.

## 3. Files

section-files = 3. Files obtained during the inspection
files-intro = All files were placed in the evidence vault unchanged; MD5 and SHA-256 hash values were computed for each.
files-col-no = No.
files-col-name = File
files-col-kind = Kind
files-col-size = Size, bytes
files-col-hashes = Hash values
files-total = In total { $count ->
    [one] { $count } file
   *[other] { $count } files
} of { $bytes ->
    [one] { $bytes } byte
   *[other] { $bytes } bytes
}.
file-kind-warc = network exchange (WARC)
file-kind-screenshot = screenshot
file-kind-dom = page source (HTML)
file-kind-title = page title
file-kind-text = visible text
file-kind-links = list of links
file-kind-media = media file
file-kind-capture = capture details
file-kind-post = post
file-kind-manifest = manifest
file-kind-timestamp = time stamp

## 4. Verification

section-verify = 4. Integrity verification
field-public-key = Public key (Ed25519)
field-manifest = Manifest hash (SHA-256)
field-signature = Signature (Ed25519)
field-timestamps = Time stamps (RFC 3161)
timestamp-value = { $authority }, { $time }, serial number { $serial }
timestamp-token = SHA-256 of the token: { $hash }
verify-intro = The integrity of the material can be verified offline:
verify-step-hashes = compute the hash values of each file with “sha256sum FILE” and “md5sum FILE” and compare them with the table in section 3;
verify-step-qorgau = run “qorgau verify” on the vault or the exported package: it checks the chain of custody ledger entries, their Ed25519 signatures and the hash values of all files;
verify-step-key = make sure the signatures were made with the key whose public part is given above;
verify-step-timestamp = check the time stamp with “openssl ts -verify” and the certificate of the time-stamping authority.

## 5. Closing

section-closing = 5. Closing statement
closing-text = This record was produced with the software named above; times, addresses and hash values were entered into it automatically. The record was read by the participants.
closing-remarks = Statements and remarks of the participants:
signatures-heading = Signatures
sig-inspector = Inspected by
sig-signature = (signature)
sig-name = (name)
footer-page = page { $page } of { $total }
footer-case = Record of inspection of an internet resource · case No. { $case }
