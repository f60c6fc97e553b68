/* encode.h: building blocks of feature encoding: hashing and JSON text. */
#ifndef SP_ENCODE_H
#define SP_ENCODE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <jv.h>

#include "buf.h"
#include "jscan.h"

/*
 * sp_murmur3_32: MurmurHash3_x86_32 of key[0, len) with seed, as in Austin
 * Appleby's reference code and scikit-learn's murmurhash3_32 (which returns
 * the same bits as a signed int32 when positive=False).
 */
uint32_t sp_murmur3_32(const void *key, size_t len, uint32_t seed);

/*
 * sp_hash_bucket: signed feature hashing of a token, the rule of
 * scikit-learn's FeatureHasher(input_type="string", alternate_sign=True):
 * h = murmur3_32(token, seed 0) read as a signed 32-bit integer, the bucket
 * is |h| mod dim and the sign is +1 when h >= 0, -1 otherwise.  Returns the
 * bucket; *negative is set to 1 for the minus sign.  dim must be > 0.
 */
uint32_t sp_hash_bucket(const char *s, size_t len, uint32_t dim, int *negative);

/*
 * sp_num_text: the shortest decimal text of the finite double x that reads
 * back as x (%.15g, %.16g or %.17g), e.g. "0.1", "42", "1e+21".  buf must
 * hold 32 bytes; returns buf.
 */
char *sp_num_text(double x, char *buf);

/*
 * sp_buf_add_jv: appends v as compact JSON to b; borrows v.  Numbers use
 * sp_num_text (non-finite ones become null), object members are sorted by
 * key so that the text is deterministic, strings are escaped like
 * sp_json_str.
 */
void sp_buf_add_jv(struct sp_buf *b, jv v);

/*
 * A light JSON value for the fields sp-encode reads from a row: scalars,
 * and arrays whose elements sit in the scan's pool.  kind is jscan's
 * SP_JSON_* (an absent field is SP_JSON_NULL, as in jq), or SP_SVAL_OTHER
 * for a value the scan does not hold (an object, an array in an array).
 * Strings are borrowed from the scanned line (or from the jv they came
 * from) and are not NUL-terminated.
 */
#define SP_SVAL_OTHER 0

struct sp_sval {
	int kind;		/* SP_JSON_*, or SP_SVAL_OTHER */
	double num;		/* SP_JSON_NUMBER */
	const char *s;		/* SP_JSON_STRING */
	size_t len;
	size_t first, n;	/* SP_JSON_ARRAY: pool[first, first + n) */
};

/*
 * The fields wanted from each row, and the values of the last row scanned.
 * Set fields, flen and nfields, and vals to an array of nfields; the pool
 * is managed by the scan functions (sp_scan_free frees it).  A field absent
 * from the row is SP_JSON_NULL.
 */
struct sp_scan {
	const char *const *fields;
	const size_t *flen;
	size_t nfields;
	struct sp_sval *vals;
	struct sp_sval *pool;
	size_t npool, cappool;
};

/*
 * sp_scan_line: the fast path.  Scans line[0, len) as one JSON object with
 * jscan's pieces and fills sc->vals from its members (a repeated member:
 * the last one wins, as in jq).  Only a plain subset is handled: the text
 * must be SP_JSCAN_STRICT, the keys and the wanted members' strings free
 * of escapes, the wanted members scalars or arrays of scalars.  Returns 0, or -1
 * when the line is outside that subset or not valid JSON: the caller then
 * parses it with jq (sp_jv_parse) and uses sp_scan_jv, so that jq alone
 * decides what is valid and how errors read.  The values borrow line.
 */
int sp_scan_line(struct sp_scan *sc, const char *line, size_t len);

/*
 * sp_scan_jv: fills sc->vals from the object row (the slow path), keeping
 * in jvals[i] (which the caller frees) the value of field i, from which
 * the strings are borrowed.  Borrows row.
 */
void sp_scan_jv(struct sp_scan *sc, jv row, jv *jvals);

/*
 * sp_buf_add_sval: appends v as compact JSON, exactly as sp_buf_add_jv
 * writes the same value.  SP_SVAL_OTHER cannot be written (it writes null).
 */
void sp_buf_add_sval(struct sp_buf *b, const struct sp_scan *sc, const struct sp_sval *v);

void sp_scan_free(struct sp_scan *sc);

#endif
