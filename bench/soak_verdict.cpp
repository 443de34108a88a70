#include "bench/soak_verdict.h"

namespace fibpool::bench {

namespace {

// `line` is `ERR <code>` alone or followed by a space and a detail.
bool IsError(std::string_view line, std::string_view code) {
  constexpr std::string_view kErr = "ERR ";
  if (!line.starts_with(kErr)) return false;
  line.remove_prefix(kErr.size());
  return line.starts_with(code) && (line.size() == code.size() || line[code.size()] == ' ');
}

Verdict JudgeError(std::string_view got, Allowance allowance) {
  if (allowance == Allowance::kJob) {
    if (IsError(got, "worker_crashed")) return Verdict::kCrashed;
    if (IsError(got, "busy")) return Verdict::kBusy;
  }
  return Verdict::kWrong;
}

}  // namespace

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kRight:
      return "right";
    case Verdict::kCrashed:
      return "worker_crashed";
    case Verdict::kBusy:
      return "busy";
    case Verdict::kWrong:
      return "wrong";
  }
  return "?";
}

Verdict JudgeAnswer(std::string_view got, std::string_view expected, Allowance allowance) {
  if (got == expected) return Verdict::kRight;
  return JudgeError(got, allowance);
}

Verdict JudgeDigest(const AnswerDigest& got, const AnswerDigest& expected, Allowance allowance) {
  if (got == expected) return Verdict::kRight;
  // An error line is short: its start holds all of it.
  if (got.length <= AnswerDigest::kStartBytes) return JudgeError(got.start, allowance);
  return Verdict::kWrong;
}

}  // namespace fibpool::bench
