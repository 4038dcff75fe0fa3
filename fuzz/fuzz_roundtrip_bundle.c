/*
 * libFuzzer round-trip harness: secure-channel bundles of every kind (lib/bundle.c).
 * Input: [kind][pos hi][pos lo][xor][id_len][id][plaintext]. Keys as in
 * fuzz_bundle (target = DeriveKeyPair(0x11 * 32), enclave signer =
 * DeriveKeyPair(0x22 * 32), QOS fetcher key set from seed 0x66 * 32).
 * Kinds (kind % 6):
 *   0 v1 export:  export_create(signer, target, id, pt) -> export_open
 *   1 credential: credential_seal(target, pt) -> credential_open
 *   2 encrypted:  seal_to_key(target, pt) -> encrypted_open
 *   3 v1 import:  target_create(signer, target, "org-fuzz", user = id) ->
 *                 import_seal(..., pt) -> encrypted_open
 *   4 OAuth:      oauth_secret_seal(fetcher public, pt) -> oauth_secret_open
 *   5 v0:         zk_bundle_v0_verify of the signer's DER signature over the
 *                 target's 65-byte key; the plaintext bytes as a signature
 *                 must not verify (a forgery would be a finding)
 * Properties: seal ok => open ok and returns pt byte for byte (sealing refuses
 * only what the documented limits refuse: empty/oversized pt, bad ids); the
 * sealed bundle with byte pos changed by xor either fails to open or opens to
 * the same pt (integrity: no mutation yields a different plaintext).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/bundle.h"
#include "zerokey/hpke.h"
#include "zerokey/qos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static zk_key *target, *signer, *signer_pub;
static zk_qos_keyset *fetcher;

static void init_keys(void) {
  uint8_t ikm[32];
  memset(ikm, 0x11, sizeof ikm);
  if (zk_hpke_derive_keypair(&target, ikm, sizeof ikm) != ZK_OK) abort();
  memset(ikm, 0x22, sizeof ikm);
  if (zk_hpke_derive_keypair(&signer, ikm, sizeof ikm) != ZK_OK) abort();
  if (zk_key_public_copy(&signer_pub, signer) != ZK_OK) abort();
  memset(ikm, 0x66, sizeof ikm);
  if (zk_qos_keyset_from_seed(&fetcher, ikm, sizeof ikm) != ZK_OK) abort();
}

/* Open bundle b of kind k. */
static zk_status open_kind(int k, uint8_t **pt, size_t *pl, const char *b, size_t bl,
                           const char *id) {
  switch (k) {
    case 0:
      return zk_bundle_export_open(pt, pl, b, bl, signer_pub, id, target);
    case 1:
      return zk_bundle_credential_open(pt, pl, b, bl, target);
    case 4:
      return zk_bundle_oauth_secret_open(pt, pl, fetcher, b, bl);
    default:
      return zk_bundle_encrypted_open(pt, pl, b, bl, target);
  }
}

static void v0(const uint8_t *sig, size_t sl) {
  uint8_t pub[65], der[ZK_MAX_SIG_LEN];
  size_t pl = sizeof pub, dl = sizeof der;
  if (zk_key_export_public(target, ZK_PUB_UNCOMPRESSED, pub, &pl) != ZK_OK ||
      zk_key_sign(signer, ZK_SIG_DER, der, &dl, pub, pl) != ZK_OK ||
      zk_bundle_v0_verify(signer_pub, pub, pl, der, dl) != ZK_OK)
    abort();
  if (zk_bundle_v0_verify(target, pub, pl, der, dl) == ZK_OK) abort(); /* wrong enclave key */
  if (zk_bundle_v0_verify(signer_pub, pub, pl, sig, sl) == ZK_OK) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (target == NULL) init_keys();
  if (size < 5) return 0;
  int kind = data[0] % 6;
  size_t pos = ((size_t)data[1] << 8) | data[2];
  uint8_t x = data[3];
  size_t il = data[4];
  data += 5;
  size -= 5;
  if (il > size) il = size;
  char id[256];
  memcpy(id, data, il);
  id[il] = 0;
  const uint8_t *pt = data + il;
  size_t ptl = size - il;
  if (kind == 5) {
    v0(pt, ptl);
    return 0;
  }
  char *b = NULL;
  size_t bl = 0;
  zk_status s;
  if (kind == 0) {
    s = zk_bundle_export_create(&b, &bl, signer, target, id, pt, ptl);
  } else if (kind == 1) {
    s = zk_bundle_credential_seal(&b, &bl, target, pt, ptl);
  } else if (kind == 2) {
    s = zk_bundle_seal_to_key(&b, &bl, target, pt, ptl);
  } else if (kind == 3) {
    char *tb = NULL;
    size_t tbl = 0;
    s = zk_bundle_target_create(&tb, &tbl, signer, target, "org-fuzz", id);
    if (s == ZK_OK)
      s = zk_bundle_import_seal(&b, &bl, tb, tbl, signer_pub, "org-fuzz", id, pt, ptl);
    else if (s != ZK_ERR_VALUE)
      abort();
    zk_free(tb);
  } else {
    const uint8_t *fp = zk_qos_keyset_public(fetcher);
    s = zk_bundle_oauth_secret_seal(&b, &bl, fp, ZK_QOS_PUBLIC_LEN, pt, ptl);
  }
  if (s != ZK_OK) {
    /* only the documented refusals */
    if (b != NULL || (s != ZK_ERR_VALUE && s != ZK_ERR_TOO_LARGE && s != ZK_ERR_ARG)) abort();
    return 0;
  }
  uint8_t *out = NULL;
  size_t ol = 0;
  if (open_kind(kind, &out, &ol, b, bl, id) != ZK_OK || ol != ptl ||
      (ptl && memcmp(out, pt, ptl) != 0))
    abort();
  zk_free_secret(out, ol);
  if (bl > 0 && x != 0) {
    b[pos % bl] = (char)(b[pos % bl] ^ x);
    out = NULL;
    ol = 0;
    if (open_kind(kind, &out, &ol, b, bl, id) == ZK_OK) {
      if (ol != ptl || (ptl && memcmp(out, pt, ptl) != 0)) abort();
      zk_free_secret(out, ol);
    }
  }
  zk_free(b);
  return 0;
}
