"""Groups `perf script` samples (with call graphs) per process by the system
call they were taken in, or as user code, preemption on the way back to user
space, or interrupts. Reads perf script output on stdin."""
import collections
import re
import sys

SYSCALL = re.compile(r"\b(?:__x64_sys_|__se_sys_|__do_sys_|__sys_|ksys_)(\w+)")
LIBC = re.compile(
    r"\b(?:__libc_|__GI___libc_|__)(sendmsg|recvfrom|read|write|epoll_wait|sched_yield)\b")


def classify(frames):
    for f in frames:
        m = SYSCALL.search(f) or LIBC.search(f)
        if m:
            return m.group(1)
        if "exit_to_user_mode_loop" in f:
            return "(preempted on return to user)"
    if any("asm_sysvec" in f or "irqentry" in f or "asm_common_interrupt" in f for f in frames):
        return "(interrupt / preemption)"
    if frames and "[kernel" in frames[0] and not any("entry_SYSCALL" in f for f in frames):
        return "(kernel, other)"
    return "(user code)"


def main():
    counts = collections.defaultdict(collections.Counter)
    comm, frames = None, []
    for line in list(sys.stdin) + [""]:
        if not line.strip():
            if comm is not None:
                counts[comm][classify(frames)] += 1
            comm, frames = None, []
        elif not line.startswith((" ", "\t")):
            comm, frames = line.split()[0], []
        else:
            frames.append(line.strip())
    for comm, ctr in counts.items():
        total = sum(ctr.values())
        print(f"{comm}: {total} samples")
        for what, n in ctr.most_common(8):
            print(f"  {100 * n / total:5.1f}%  {what}")


if __name__ == "__main__":
    main()
