/* libzerokey umbrella header: includes every public header. */
#ifndef ZEROKEY_ZEROKEY_H
#define ZEROKEY_ZEROKEY_H

#include "attestation.h"
#include "backend.h"
#include "bundle.h"
#include "common.h"
#include "cose.h"
#include "crypto.h"
#include "eif.h"
#include "evidence.h"
#include "evidence_chain.h"
#include "fetch_proof.h"
#include "hpke.h"
#include "key.h"
#include "merkle.h"
#include "notarization.h"
#include "qos.h"
#include "qos_manifest.h"
#include "qos_proof.h"
#include "qos_provision.h"
#include "ruling.h"
#include "shamir.h"
#include "sig_result.h"
#include "stamp.h"

#endif
