#include "zerokey/common.h"

const char *zk_status_str(zk_status st) {
  switch (st) {
#define ZK_STATUS_MSG_(name, value, msg) \
  case name:                             \
    return msg;
    ZK_STATUS_LIST(ZK_STATUS_MSG_)
#undef ZK_STATUS_MSG_
  }
  return "unknown status code";
}

const char *zk_status_name(zk_status st) {
  switch (st) {
#define ZK_STATUS_NAME_(name, value, msg) \
  case name:                              \
    return #name;
    ZK_STATUS_LIST(ZK_STATUS_NAME_)
#undef ZK_STATUS_NAME_
  }
  return "ZK_UNKNOWN_STATUS";
}

const char *zk_version(void) {
  return ZK_VERSION_STRING;
}
