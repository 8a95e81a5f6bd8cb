// Preloaded by npm run bench (node -r bench/rss.js …): reports the process's peak memory and CPU time
// (user + system, which a busy machine inflates far less than wall time) on stderr at exit.
"use strict";
process.on("exit", () => {
    const usage = process.resourceUsage();
    const cpuMs = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000);
    require("fs").writeSync(2, `\nRUNWAY_BENCH_MAXRSS_KIB=${usage.maxRSS}\nRUNWAY_BENCH_CPU_MS=${cpuMs}\n`);
});
