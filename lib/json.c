/* Strict JSON object loading shared by the stamp and evidence-chain parsers. */
#include "zk_json.h"

zk_status zki_json_load_object(json_t **out, const uint8_t *buf, size_t len, size_t max_len) {
  json_error_t err;
  *out = NULL;
  if (len > max_len) return ZK_ERR_TOO_LARGE;
  if (buf == NULL) buf = (const uint8_t *)"";
  json_t *j = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &err);
  if (j == NULL)
    return json_error_code(&err) == json_error_duplicate_key ? ZK_ERR_DUPLICATE_KEY : ZK_ERR_JSON;
  if (!json_is_object(j)) {
    json_decref(j);
    return ZK_ERR_TYPE;
  }
  *out = j;
  return ZK_OK;
}
