/* Internal hooks of lib/key.c (hidden; used by tests and other library modules). */
#ifndef ZK_KEY_INTERNAL_H
#define ZK_KEY_INTERNAL_H

#include "zerokey/key.h"

/*
 * BIP-340 signature with caller-chosen auxiliary randomness (for the
 * reproducible BIP-340 test vectors). Production code uses zk_key_sign, which
 * draws aux from the DRBG.
 */
zk_status zki_key_sign_schnorr_aux(const zk_key *key, uint8_t sig[64], const uint8_t *msg,
                                   size_t msg_len, const uint8_t aux[32]);

/* Byte length of a field element / scalar for the curve (32 or 48; 32 for Ed25519). */
size_t zki_curve_field_len(zk_curve curve);

#endif
