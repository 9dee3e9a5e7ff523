// Whether a process group still has a live member.

/** The kernel's "this task is exiting" flag in /proc/PID/stat (PF_EXITING). */
const PF_EXITING = 0x4;

/**
 * Whether any process of group `pgid` is still alive. `kill(-pgid, 0)` also counts zombies, and
 * where the init process does not reap orphans (a container without an init) a stopped
 * descendant stays a zombie for good: on Linux, the members are looked up in /proc, and zombies
 * and exiting processes do not count. Elsewhere (or without read access to /proc) any member
 * counts.
 */
export function groupAlive(pgid: number): boolean {
  try {
    Deno.kill(-pgid, 0 as unknown as Deno.Signal);
  } catch {
    return false; // ESRCH: no member at all
  }
  if (Deno.build.os !== "linux") return true;
  try {
    for (const entry of Deno.readDirSync("/proc")) {
      const first = entry.name.charCodeAt(0);
      if (first < 48 || first > 57) continue; // not a pid
      let stat: string;
      try {
        stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      } catch {
        continue; // gone meanwhile
      }
      // After the parenthesised name: state ppid pgrp session tty_nr tpgid flags ...
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      const state = fields[0];
      if (state === "Z" || state === "X" || (Number(fields[6]) & PF_EXITING) !== 0) continue;
      return true;
    }
    return false;
  } catch {
    return true; // cannot look: assume a member lives
  }
}
