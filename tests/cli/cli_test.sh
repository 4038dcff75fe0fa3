#!/usr/bin/env bash
# End-to-end checks of the zerokey CLI: outputs and documented exit codes.
# Usage: cli_test.sh PATH_TO_zerokey [VECTORS_DIR]
set -u
Z=$1
V=${2:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
n=0
expect() { # expect RC description command...
  local want=$1 what=$2; shift 2
  "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  n=$((n + 1))
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL: $what: exit $rc, want $want"; cat "$T/err"; fails=$((fails + 1))
  else
    echo "ok: $what (exit $rc)"
  fi
}
cd "$T"
expect 0 "help" "$Z" --help
expect 2 "no command" "$Z"
expect 2 "unknown command" "$Z" bogus
for c in attest stamp cose hpke eif key chain merkle evidence; do expect 0 "$c --help" "$Z" $c --help; done
expect 0 "key generate" "$Z" key generate --curve p256
"$Z" key generate --curve p256 > k.txt
S=$(awk '/secret/{print $2}' k.txt); P=$(awk '/public/{print $2}' k.txt)
expect 2 "unknown curve" "$Z" key generate --curve p999
expect 3 "bad hex" "$Z" key public --curve p256 --secret zz
printf 'hello enclave' > pt
"$Z" hpke seal --to "$P" < pt > ct.hex
expect 0 "hpke open" sh -c "\"$Z\" hpke open --secret $S < ct.hex | cmp - pt"
# Change the third hex digit (in the encapsulated key) to a different digit: always a real change.
c3=$(cut -c3 ct.hex)
if [ "$c3" = f ]; then n3=0; else n3=f; fi
sed "s/^\(..\)./\1$n3/" ct.hex > bad.hex
cmp -s ct.hex bad.hex && { echo "FAIL: tampering left the ciphertext unchanged"; fails=$((fails + 1)); }
expect 1 "hpke open tampered" sh -c "\"$Z\" hpke open --secret $S < bad.hex"
printf '{"timestampMs":"%s000","type":"x"}' "$(date +%s)" > body.json
H=$("$Z" stamp create --body body.json --secret "$S" --scheme p256)
expect 0 "stamp verify" "$Z" stamp verify --body body.json --header "$H"
printf ' ' >> body.json
expect 1 "stamp verify tampered body" "$Z" stamp verify --body body.json --header "$H"
printf '{"timestampMs":"1000","type":"x"}' > old.json
H2=$("$Z" stamp create --body old.json --secret "$S" --scheme p256)
expect 1 "stamp outside replay window" "$Z" stamp verify --body old.json --header "$H2"
expect 0 "stamp --no-timestamp" "$Z" stamp verify --body old.json --header "$H2" --no-timestamp
"$Z" cose sign --secret "$S" --curve p256 --payload pt > m.cose
expect 0 "cose verify" "$Z" cose verify m.cose --public-key "$P" --curve p256
head -c 20 m.cose > short.cose
expect 1 "cose truncated" "$Z" cose verify short.cose --public-key "$P" --curve p256
"$Z" key generate --curve ed25519 > n.txt
NS=$(awk '/secret/{print $2}' n.txt); NP=$(awk '/public/{print $2}' n.txt)
"$Z" chain append --secret ed25519:$NS --log L --state "$(printf '%064x' 1)" > r0
"$Z" chain append --secret ed25519:$NS --prev r0 --state "$(printf '%064x' 2)" > r1
expect 0 "chain verify" "$Z" chain verify --notarizer ed25519:$NP --log L r0 r1
expect 1 "chain reordered" "$Z" chain verify --notarizer ed25519:$NP --log L r1 r0
expect 1 "chain wrong log" "$Z" chain verify --notarizer ed25519:$NP --log M r0 r1
CP=$("$Z" chain verify --notarizer ed25519:$NP --log L r0 r1 | awk '{print $NF}')
expect 1 "chain rollback vs checkpoint" "$Z" chain verify --notarizer ed25519:$NP --checkpoint "$CP" r0
for i in 1 2 3 4 5 6 7; do echo "leaf $i" > l$i; done
R=$("$Z" merkle root l1 l2 l3 l4 l5 l6 l7 | awk '{print $4}')
PR=$("$Z" merkle prove --index 5 l1 l2 l3 l4 l5 l6 l7 | tr '\n' ' ')
expect 0 "merkle inclusion" "$Z" merkle verify --leaf l6 --index 5 --size 7 --root "$R" $PR
expect 1 "merkle wrong leaf" "$Z" merkle verify --leaf l5 --index 5 --size 7 --root "$R" $PR
# evidence: stamp -> ruling -> signature result against a notarized state, then attacks
"$Z" key generate --curve ed25519 > pol.txt
"$Z" key generate --curve p256 > sig.txt
"$Z" key generate --curve secp256k1 > wal.txt
PS=$(awk '/secret/{print $2}' pol.txt); PP=$(awk '/public/{print $2}' pol.txt)
SS=$(awk '/secret/{print $2}' sig.txt); SP=$(awk '/public/{print $2}' sig.txt)
WS=$(awk '/secret/{print $2}' wal.txt)
NOW=$(($(date +%s) * 1000))
printf '{"organizationId":"org-1","parameters":{"payload":"aa"},"timestampMs":"%s","type":"ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2"}' "$NOW" > act.json
HS=$("$Z" stamp create --body act.json --secret "$S" --scheme p256)
"$Z" chain append --secret ed25519:$NS --log org-1 --state "$(printf '%064x' 7)" > st0
"$Z" evidence ruling --secret ed25519:$PS --body act.json --stamp "$HS" --notarization st0 \
  --org org-1 --activity ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2 --policy-id p1 > ruling.cose
"$Z" evidence result --secret p256:$SS --ruling ruling.cose --wallet-secret secp256k1:$WS \
  --digest "$(printf '%064x' 170)" > result.cose
ev() { "$Z" evidence verify-chain --stamp "$HS" --notarization st0 --result result.cose \
  --policy-key ed25519:$PP --notarizer-key ed25519:$NP --signer-key p256:$SP --log org-1 "$@"; }
expect 0 "evidence chain" ev --body act.json --ruling ruling.cose
sed 's/"aa"/"ab"/' act.json > evil.json
expect 1 "evidence chain, tampered body" ev --body evil.json --ruling ruling.cose
"$Z" evidence ruling --secret ed25519:$NS --body act.json --stamp "$HS" --notarization st0 \
  --org org-1 --activity ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2 > forged.cose
expect 1 "evidence chain, ruling by another key" ev --body act.json --ruling forged.cose
expect 3 "missing file" "$Z" attest verify /nonexistent/doc.cose
if [ -n "$V" ] && [ -f "$V/nitro/evervault_2022-10-12_debug_userdata_pubkey.cose" ]; then
  D="$V/nitro/evervault_2022-10-12_debug_userdata_pubkey.cose"
  expect 0 "attest real doc" "$Z" attest verify "$D" --at 1665582606 --allow-debug --user-data 68656c6c6f2c20776f726c6421 --json
  expect 1 "attest debug refused" "$Z" attest verify "$D" --at 1665582606
  expect 1 "attest expired" "$Z" attest verify "$D" --at 1665593395 --allow-debug
  expect 1 "attest wrong user_data" "$Z" attest verify "$D" --at 1665582606 --allow-debug --user-data 00
  expect 1 "attest negative doc" "$Z" attest verify "$V/nitro/NEGATIVE_base_2026-01-03_unrepaired_missing3bytes.cose"
else
  echo "SKIPPED: attestation CLI checks (vectors missing)"
fi
echo "cli: $n checks, $fails failed"
[ $fails -eq 0 ]
