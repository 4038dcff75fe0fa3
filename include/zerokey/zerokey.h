/* libzerokey umbrella header: includes every public header. */
#ifndef ZEROKEY_ZEROKEY_H
#define ZEROKEY_ZEROKEY_H

#include "common.h"
#include "backend.h"
#include "eif.h"
#include "bundle.h"
#include "attestation.h"
#include "cose.h"
#include "crypto.h"
#include "hpke.h"
#include "key.h"
#include "qos.h"
#include "qos_manifest.h"
#include "qos_proof.h"
#include "qos_provision.h"
#include "shamir.h"
#include "stamp.h"
#include "evidence.h"
#include "ruling.h"
#include "merkle.h"
#include "notarization.h"
#include "fetch_proof.h"
#include "sig_result.h"
#include "evidence_chain.h"

#endif
