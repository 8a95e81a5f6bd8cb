/**
 * npm run prices -- <snapshot-dir>: derives rules/cost/prices.generated.ts from a dated snapshot of the
 * providers' published price data kept OUTSIDE the repository. The repository commits only the derived
 * prices (with source and date per price), never the provider's files; tests never need the snapshot.
 *
 * The snapshot holds:
 *   gcp/pricing.yml    Cyclenerd/google-cloud-pricing-cost-calculator's pricing.yml (Apache-2.0), itself
 *                      generated from Google's Cloud Billing Catalog API: Compute Engine machine types, disks,
 *                      IPs, Cloud NAT, internet egress, Cloud Storage, per region.
 *   transcribed.json   rates read off the providers' pricing pages, each with its URL and confidence, as
 *                      one price for every region ("*"), or per region; Cloud Run's Tier 1 / Tier 2 tables.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { deriveTable, GeneratedTable, SnapshotInput } from "../rules/cost/derive";

function main(argv: string[]): number {
    const dir = argv[0];
    if (!dir || !fs.existsSync(path.join(dir, "transcribed.json")) || !fs.existsSync(path.join(dir, "gcp", "pricing.yml"))) {
        process.stderr.write("usage: npm run prices -- <snapshot-dir>  (a directory with gcp/pricing.yml and transcribed.json)\n");
        return 2;
    }
    const input: SnapshotInput = {
        name: path.basename(path.resolve(dir)),
        gcpCatalog: parse(fs.readFileSync(path.join(dir, "gcp", "pricing.yml"), "utf8")),
        transcribed: JSON.parse(fs.readFileSync(path.join(dir, "transcribed.json"), "utf8")),
    };
    const table = deriveTable(input);
    // Data, not code: read on first use (rules/cost/prices.ts) without compiling; one region per line for reviewable diffs.
    const out = path.join(__dirname, "..", "rules", "cost", "prices.generated.json");
    const regions = (rows: GeneratedTable["gcp"]) =>
        `{\n${Object.entries(rows)
            .map(([region, keys]) => `    ${JSON.stringify(region)}: ${JSON.stringify(keys)}`)
            .join(",\n")}\n  }`;
    fs.writeFileSync(
        out,
        `{\n  "generatedBy": "npm run prices -- <snapshot>: do not edit by hand; see docs/cost.md",\n  "snapshot": ${JSON.stringify(table.snapshot)},\n  "sources": ${JSON.stringify(table.sources, null, 1)},\n  "units": ${JSON.stringify(table.units)},\n  "gcp": ${regions(table.gcp)},\n  "aws": ${regions(table.aws)}\n}\n`,
    );
    const count = (c: Record<string, Record<string, unknown>>) => Object.values(c).reduce((n, r) => n + Object.keys(r).length, 0);
    process.stdout.write(
        `${out}: GCP ${Object.keys(table.gcp).length} regions, ${count(table.gcp)} prices; AWS ${Object.keys(table.aws).length} regions, ${count(table.aws)} prices\n`,
    );
    return 0;
}

process.exitCode = main(process.argv.slice(2));
