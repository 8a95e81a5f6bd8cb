// Preloaded by npm run bench (node -r bench/rss.js …): reports the process's peak memory on stderr at exit.
"use strict";
process.on("exit", () => {
    require("fs").writeSync(2, `\nRUNWAY_BENCH_MAXRSS_KIB=${process.resourceUsage().maxRSS}\n`);
});
