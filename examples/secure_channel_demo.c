/*
 * Secure-channel demo: an "enclave" exports a mnemonic to a client target key
 * as a signed v1 export bundle; the client verifies it against the pinned
 * enclave key and opens it. Then the same bundle is tampered with and opened
 * with the wrong key, to show the distinct failure statuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zerokey/zerokey.h>

static int check(const char *what, zk_status st) {
  printf("%-44s %s\n", what, zk_status_name(st));
  return st == ZK_OK ? 0 : 1;
}

int main(void) {
  const char *org = "f9a31c64-d604-42e4-9bef-a773096afad7";
  const char *mnemonic =
      "leaf lady until indicate praise final route toast cake minimum insect unknown";
  zk_key *enclave = NULL, *pinned = NULL, *client = NULL, *client_pub = NULL, *stranger = NULL;
  char *bundle = NULL;
  size_t bundle_len = 0;
  uint8_t *pt = NULL;
  size_t pt_len = 0;
  int rc = 0;

  /* enclave signing key (its public half is what clients pin) and the client's target key */
  rc |= check("enclave: generate signing key", zk_key_generate(&enclave, ZK_CURVE_P256));
  rc |= check("client: generate target key", zk_key_generate(&client, ZK_CURVE_P256));
  rc |= check("stranger: generate key", zk_key_generate(&stranger, ZK_CURVE_P256));
  if (rc) return 1;
  rc |= check("pin the enclave public key", zk_key_public_copy(&pinned, enclave));
  rc |= check("client: send target public key", zk_key_public_copy(&client_pub, client));
  rc |= check("enclave: zk_bundle_export_create",
              zk_bundle_export_create(&bundle, &bundle_len, enclave, client_pub, org,
                                      (const uint8_t *)mnemonic, strlen(mnemonic)));
  if (rc) return 1;
  printf("bundle (%zu bytes): %.100s...\n", bundle_len, bundle);

  rc |= check("client: zk_bundle_export_open",
              zk_bundle_export_open(&pt, &pt_len, bundle, bundle_len, pinned, org, client));
  if (rc == 0) {
    printf("plaintext: %.*s\n", (int)pt_len, (const char *)pt);
    zk_free_secret(pt, pt_len);
  }

  /* failures: each has its own status and releases nothing */
  zk_status st = zk_bundle_export_open(&pt, &pt_len, bundle, bundle_len, pinned, org, stranger);
  printf("%-44s %s (pt=%p)\n", "wrong target key", zk_status_name(st), (void *)pt);
  st = zk_bundle_export_open(&pt, &pt_len, bundle, bundle_len, stranger, org, client);
  printf("%-44s %s\n", "different pinned enclave key", zk_status_name(st));
  st = zk_bundle_export_open(&pt, &pt_len, bundle, bundle_len, pinned, "another-org", client);
  printf("%-44s %s\n", "other organization", zk_status_name(st));
  char *data = strstr(bundle, "\"data\":\"");
  if (data != NULL) {
    data[8] = data[8] == '7' ? '6' : '7';
    st = zk_bundle_export_open(&pt, &pt_len, bundle, bundle_len, pinned, org, client);
    printf("%-44s %s\n", "one byte of data changed", zk_status_name(st));
  }
  st = zk_bundle_export_open(&pt, &pt_len, bundle, bundle_len / 2, pinned, org, client);
  printf("%-44s %s\n", "truncated", zk_status_name(st));

  zk_free(bundle);
  zk_key_free(enclave);
  zk_key_free(pinned);
  zk_key_free(client);
  zk_key_free(client_pub);
  zk_key_free(stranger);
  return rc;
}
