/*
 * libzerokey: Shamir secret sharing over GF(2^8) (QuorumOS compatible).
 *
 * Field: GF(2^8) with the reduction polynomial x^8 + x^4 + x^3 + x + 1 (0x11B),
 * the AES field, as used by vsss-rs Gf256 in QuorumOS. Every byte of the secret
 * is shared independently with its own random polynomial of degree k-1.
 *
 * Share encoding: x (1 byte, 1..255) || y (one byte per secret byte), so a
 * share of an L-byte secret is L+1 bytes. The split assigns x = 1..n.
 *
 * Side channels: field arithmetic uses no tables and no branches on secret
 * data (bitwise multiplication, inversion by exponentiation). Branches on the
 * public x coordinates (validation) are allowed.
 *
 * A threshold of 1 is accepted (every share then carries the secret itself,
 * as in the QuorumOS 1-of-1 development shares); callers that need real
 * splitting must ask for k >= 2.
 */
#ifndef ZEROKEY_SHAMIR_H
#define ZEROKEY_SHAMIR_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZK_SHAMIR_MAX_SHARES 255      /* x coordinates are 1..255 */
#define ZK_SHAMIR_MAX_SECRET_LEN 4096 /* bound on one secret (bytes) */

/* Length of one share for a secret of secret_len bytes. */
#define ZK_SHAMIR_SHARE_LEN(secret_len) ((secret_len) + 1u)

/*
 * Split a secret into n shares, any k of which reconstruct it.
 * Returns: ZK_OK; ZK_ERR_ARG (NULL pointers); ZK_ERR_SHAMIR_PARAMS (k == 0,
 *          k > n, n > 255, secret_len == 0 or > ZK_SHAMIR_MAX_SECRET_LEN);
 *          ZK_ERR_BUFFER_TOO_SMALL (shares_len < n * (secret_len + 1));
 *          ZK_ERR_RANDOM; ZK_ERR_NOMEM.
 * Out: shares: n shares of secret_len + 1 bytes each, back to back; share i
 *      (0-based) has x = i + 1. Zeroed on error. The caller must wipe them.
 * In:  shares_len: capacity of shares; n: number of shares; k: threshold;
 *      secret, secret_len: the secret (not modified).
 */
ZK_API ZK_WUR zk_status zk_shamir_split(uint8_t *shares, size_t shares_len, size_t n, size_t k,
                                        const uint8_t *secret, size_t secret_len);

/*
 * Reconstruct the secret from count shares (Lagrange interpolation at x = 0).
 * All given shares are used; passing fewer than the threshold yields a wrong
 * secret that cannot be detected here (check the result against a commitment,
 * e.g. the QOS quorum public key).
 * Returns: ZK_OK; ZK_ERR_ARG (NULL pointers, count == 0);
 *          ZK_ERR_SHAMIR_PARAMS (count > 255, share_len < 2 or
 *          > ZK_SHAMIR_MAX_SECRET_LEN + 1);
 *          ZK_ERR_SHAMIR_SHARES (x == 0 or duplicate x);
 *          ZK_ERR_BUFFER_TOO_SMALL (secret_len < share_len - 1).
 * Out: secret: share_len - 1 bytes; *secret_written: that length. Zeroed on error.
 * In:  shares: count pointers to shares of share_len bytes each (equal lengths
 *      by construction: use zk_shamir_combine_var for shares of unchecked lengths).
 */
ZK_API ZK_WUR zk_status zk_shamir_combine(uint8_t *secret, size_t secret_len,
                                          size_t *secret_written, const uint8_t *const *shares,
                                          size_t share_len, size_t count);

/*
 * Same as zk_shamir_combine for shares whose lengths come from untrusted input:
 * share_lens[i] is the length of shares[i].
 * Returns: as zk_shamir_combine, plus ZK_ERR_SHAMIR_SHARES when the lengths differ.
 */
ZK_API ZK_WUR zk_status zk_shamir_combine_var(uint8_t *secret, size_t secret_len,
                                              size_t *secret_written, const uint8_t *const *shares,
                                              const size_t *share_lens, size_t count);

#ifdef __cplusplus
}
#endif
#endif
