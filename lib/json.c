/* Strict bounded JSON loading shared by the stamp, evidence-chain, QOS and EIF parsers. */
#include "zk_json.h"

zk_status zki_json_load(json_t **out, const uint8_t *buf, size_t len, size_t max_len,
                        size_t flags) {
  json_error_t err;
  *out = NULL;
  if (len > max_len) return ZK_ERR_TOO_LARGE;
  if (buf == NULL) buf = (const uint8_t *)"";
  json_t *j = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES | flags, &err);
  if (j == NULL)
    return json_error_code(&err) == json_error_duplicate_key ? ZK_ERR_DUPLICATE_KEY : ZK_ERR_JSON;
  *out = j;
  return ZK_OK;
}

zk_status zki_json_load_object(json_t **out, const uint8_t *buf, size_t len, size_t max_len) {
  *out = NULL;
  json_t *j;
  ZKI_TRY(zki_json_load(&j, buf, len, max_len, 0));
  if (!json_is_object(j)) {
    json_decref(j);
    return ZK_ERR_TYPE;
  }
  *out = j;
  return ZK_OK;
}
