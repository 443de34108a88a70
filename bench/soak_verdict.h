// How the soak judges one answer (pure; no I/O). An answer is right when it
// is exactly the expected line. Besides that, a job request (an F(N)) may
// legitimately get `ERR worker_crashed ...` (the worker running it died and
// so did the one that retried it, or the input is quarantined after killing
// two workers: docs/protocol.md, "Errors") and `ERR busy ...` (the backlog
// was full); those are counted apart, never as wrong. Commands (`ping`,
// `quit`) and malformed lines allow neither. Everything else is wrong: a
// wrong value, another error, or an answer meant for another request (out of
// order).
#pragma once

#include <string_view>

#include "bench/answer_digest.h"

namespace fibpool::bench {

enum class Verdict { kRight, kCrashed, kBusy, kWrong };

// What a request allows besides its exact answer.
enum class Allowance { kExactOnly, kJob };

const char* VerdictName(Verdict v);

Verdict JudgeAnswer(std::string_view got, std::string_view expected, Allowance allowance);

// A big answer known only by its digest: right when the digests are equal;
// an ERR line is judged by its text (digest.start holds all of a short line).
Verdict JudgeDigest(const AnswerDigest& got, const AnswerDigest& expected, Allowance allowance);

}  // namespace fibpool::bench
