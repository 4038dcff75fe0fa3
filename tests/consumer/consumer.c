/* Minimal consumer of an installed libzerokey: sign and verify with P-256. */
#include <stdio.h>
#include <string.h>
#include <zerokey/zerokey.h>

int main(void) {
  zk_key *k = NULL;
  uint8_t sig[ZK_MAX_SIG_LEN];
  size_t sig_len = sizeof sig;
  const uint8_t msg[] = "installed consumer";
  if (zk_key_generate(&k, ZK_CURVE_P256) != ZK_OK) return 1;
  if (zk_key_sign(k, ZK_SIG_DER, sig, &sig_len, msg, sizeof msg) != ZK_OK) return 1;
  zk_status st = zk_key_verify(k, ZK_SIG_DER, 0, sig, sig_len, msg, sizeof msg);
  zk_key_free(k);
  printf("libzerokey %s: %s\n", zk_version(), zk_status_str(st));
  return st == ZK_OK ? 0 : 1;
}
