"use strict";
// Mocha's spec reporter plus one plain closing line, "tests: N passed, N failed", that CI reads.
const {
    reporters: { Spec },
} = require("mocha");

class SpecWithSummary extends Spec {
    constructor(runner, options) {
        super(runner, options);
        runner.once("end", () => {
            const { passes, failures, pending } = runner.stats;
            process.stdout.write(`tests: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ""}\n`);
        });
    }
}

module.exports = SpecWithSummary;
