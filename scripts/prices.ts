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
 *   aws/ec2instances-info/source.json (optional)  names the RDS and ElastiCache per-region builds of
 *                      vantage-sh/ec2instances.info beside it (file, repository, commit, built date).
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { deriveTable, GeneratedTable, InstanceBuild, SnapshotInput } from "../rules/cost/derive";

/** The optional ec2instances.info builds named by aws/ec2instances-info/source.json. */
function instanceBuilds(dir: string): SnapshotInput["awsInstanceBuilds"] {
    const base = path.join(dir, "aws", "ec2instances-info");
    if (!fs.existsSync(path.join(base, "source.json"))) return undefined;
    const sources = JSON.parse(fs.readFileSync(path.join(base, "source.json"), "utf8"));
    const build = (s: any): InstanceBuild | undefined =>
        s && {
            repository: s.repository,
            commit: s.commit,
            built: s.built,
            rows: JSON.parse(fs.readFileSync(path.join(base, s.file), "utf8")),
        };
    return { rds: build(sources.rds), cache: build(sources.cache) };
}

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
        awsInstanceBuilds: instanceBuilds(dir),
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
