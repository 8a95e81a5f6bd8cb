/**
 * The price table's shape, and its derivation from a price snapshot (scripts/prices.ts reads the files;
 * this module only turns parsed data into the table, so it is tested with small inputs).
 */

/** high: the provider's data or page for that price; check: a region selector or secondary copy, unverified
 * against machine-readable data; assumed: a rate carried from another region because none was sourced here. */
export type Confidence = "high" | "check" | "assumed";

export interface TableSource {
    readonly source: string;
    /** The date the data was published or read (YYYY-MM-DD). */
    readonly read: string;
    readonly confidence: Confidence;
}

/** One price: [unit price in USD, index into `sources`, free units a month overriding the key's default]. */
export type Row = readonly [number, number] | readonly [number, number, number];

export interface GeneratedTable {
    /** The snapshot's name (its date). */
    readonly snapshot: string;
    readonly sources: readonly TableSource[];
    /** Per cloud, per price key: [unit, free units a month]. */
    readonly units: Readonly<Record<"gcp" | "aws", Readonly<Record<string, readonly [string, number | null]>>>>;
    /** Per cloud, region, price key. A region or key absent is unpriced, never guessed. */
    readonly gcp: Readonly<Record<string, Readonly<Record<string, Row>>>>;
    readonly aws: Readonly<Record<string, Readonly<Record<string, Row>>>>;
}

interface TranscribedEntry {
    key: string;
    unit: string;
    source: string;
    confidence: Confidence;
    /** One price for every region of the cloud. */
    price?: number;
    /** "*" with `price`, or a price per region. */
    regions: "*" | Record<string, number>;
    freeTier?: number;
}

/** An ec2instances.info build (vantage-sh/ec2instances.info, MIT): per instance type, per region, per engine. */
export interface InstanceBuild {
    readonly repository: string;
    readonly commit: string;
    /** The build's date (YYYY-MM-DD). */
    readonly built: string;
    readonly rows: readonly { instance_type?: string; pricing?: Record<string, Record<string, { ondemand?: unknown }>> }[];
}

export interface SnapshotInput {
    readonly name: string;
    /** Older per-region builds for RDS and ElastiCache, carried only where they still match today's us-east-1 rate. */
    readonly awsInstanceBuilds?: { readonly rds?: InstanceBuild; readonly cache?: InstanceBuild };
    /** Cyclenerd's pricing.yml, parsed. */
    readonly gcpCatalog: any;
    readonly transcribed: {
        read: string;
        gcp: {
            runTiers: {
                source: string;
                confidence: Confidence;
                tier1: string[];
                /** Regions in Tier 2; a region in neither list has no Cloud Run price (new regions stay unpriced). */
                tier2: string[];
                prices: Record<"1" | "2", Record<string, number>>;
                units: Record<string, [string, number | null]>;
            };
            entries: TranscribedEntry[];
        };
        aws: { regions: string[]; entries: TranscribedEntry[] };
    };
}

/** Machine types priced from the catalog: the families public programs and GKE node pools use most. */
const MACHINE_TYPES = /^(e2|n1-standard|n2-standard|n2d-standard|t2d-standard|c3-standard|n4-standard|f1|g1)-/;
/** Regions where the Cloud Storage Always Free tier (5 GB-months Standard) applies. */
const GCS_FREE_REGIONS = ["us-central1", "us-east1", "us-west1"];

class Builder {
    readonly sources: TableSource[] = [];
    readonly units = {
        gcp: {} as Record<string, readonly [string, number | null]>,
        aws: {} as Record<string, readonly [string, number | null]>,
    };
    readonly rows = { gcp: {} as Record<string, Record<string, Row>>, aws: {} as Record<string, Record<string, Row>> };

    source(s: TableSource): number {
        const i = this.sources.findIndex((x) => x.source === s.source && x.read === s.read && x.confidence === s.confidence);
        return i >= 0 ? i : this.sources.push(s) - 1;
    }

    set(cloud: "gcp" | "aws", region: string, key: string, unit: [string, number | null], price: unknown, src: number, free?: number) {
        if (typeof price !== "number" || !Number.isFinite(price) || price < 0) return;
        this.units[cloud][key] = unit;
        const row: Row = free === undefined ? [price, src] : [price, src, free];
        this.rows[cloud][region] = { ...this.rows[cloud][region], [key]: row };
    }

    transcribed(cloud: "gcp" | "aws", entries: TranscribedEntry[], regions: readonly string[], read: string) {
        for (const e of entries) {
            const src = this.source({ source: e.source, read, confidence: e.confidence });
            const perRegion = e.regions === "*" ? Object.fromEntries(regions.map((r) => [r, e.price])) : e.regions;
            for (const [region, price] of Object.entries(perRegion))
                this.set(cloud, region, e.key, [e.unit, e.freeTier ?? null], price, src);
        }
    }
}

/** The date of the catalog: its `about.timestamp` (seconds) as YYYY-MM-DD. */
function catalogDate(catalog: any): string {
    const seconds = Number(catalog?.about?.timestamp);
    return Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString().slice(0, 10) : "unknown";
}

/** GCP prices from the Cloud Billing Catalog (Cyclenerd's pricing.yml). */
function fromCatalog(b: Builder, catalog: any, regions: readonly string[]) {
    const src = b.source({
        source: "Google Cloud Billing Catalog API via Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml (Apache-2.0)",
        read: catalogDate(catalog),
        confidence: "high",
    });
    const net = catalog.compute?.network ?? {};
    const disks: Record<string, string> = { hdd: "pd-standard", balanced: "pd-balanced", ssd: "pd-ssd" };
    for (const region of regions) {
        for (const [name, spec] of Object.entries<any>(catalog.compute?.instance ?? {})) {
            if (MACHINE_TYPES.test(name)) b.set("gcp", region, `compute.${name}`, ["instance-hour", null], spec?.cost?.[region]?.hour, src);
        }
        // A Serverless VPC Access connector instance is an e2-micro VM billed at Compute Engine rates.
        b.set(
            "gcp",
            region,
            "vpcaccess.connector",
            ["e2-micro instance-month", null],
            catalog.compute?.instance?.["e2-micro"]?.cost?.[region]?.month,
            src,
        );
        for (const [key, type] of Object.entries(disks)) {
            b.set("gcp", region, `disk.${type}`, ["GB-month", null], catalog.compute?.storage?.[key]?.cost?.[region]?.month, src);
        }
        b.set("gcp", region, "nat.data", ["GiB", null], net.nat?.data?.cost?.[region]?.month, src);
        b.set("gcp", region, "nat.ip", ["IP-hour", null], net.ip?.vm?.cost?.[region]?.hour, src);
        b.set("gcp", region, "ip.unused", ["IP-hour (reserved, not in use)", null], net.ip?.unused?.cost?.[region]?.hour, src);
        // Cloud Run and VMs use the Premium Tier; the first TiB band; Cloud Run's free GiB is North American egress.
        b.set("gcp", region, "network.internet-egress", ["GiB", 1], net.traffic?.egress?.internet?.cost?.["0-1"]?.[region]?.month, src);
        b.set(
            "gcp",
            region,
            "storage.standard",
            ["GB-month", 5],
            catalog.storage?.bucket?.standard?.cost?.[region]?.month,
            src,
            GCS_FREE_REGIONS.includes(region) ? undefined : 0,
        );
    }
}

/** Cloud Storage multi-regions as a bucket's `location` names them ("US", "EU", "ASIA"), and their catalog keys. */
const GCS_MULTI_REGIONS: Record<string, string> = { us: "us-multi", eu: "europe-multi", asia: "asia-multi" };

/** Multi-region Standard storage from the catalog; its operations at the multi-region rates of the storage page. */
function multiRegionStorage(b: Builder, catalog: any, transcribed: SnapshotInput["transcribed"]) {
    const src = b.source({
        source: "Google Cloud Billing Catalog API via Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml (Apache-2.0)",
        read: catalogDate(catalog),
        confidence: "high",
    });
    const ops = b.source({
        source: "https://cloud.google.com/storage/pricing (Standard, multi-region)",
        read: transcribed.read,
        confidence: "check",
    });
    for (const [location, key] of Object.entries(GCS_MULTI_REGIONS)) {
        b.set(
            "gcp",
            location,
            "storage.standard",
            ["GB-month", 5],
            catalog.storage?.bucket?.["standard-multi"]?.cost?.[key]?.month,
            src,
            0,
        );
        b.set("gcp", location, "storage.classA", ["1,000 operations", 5], 0.01, ops, 0);
        b.set("gcp", location, "storage.classB", ["1,000 operations", 50], 0.0004, ops, 0);
    }
}

/** How a build's engine rate becomes a table key's rate. */
const INSTANCE_FAMILIES = {
    // Runway's databases are PostgreSQL, Single-AZ rates (Multi-AZ is priced as two instances).
    rds: { prefix: "rds.", engine: "PostgreSQL", factor: 1, what: "RDS for PostgreSQL Single-AZ on-demand" },
    // Valkey nodes cost 20 % less than Redis OSS nodes (aws.amazon.com/elasticache/pricing, "ElastiCache for Valkey").
    cache: { prefix: "elasticache.", engine: "Redis", factor: 0.8, what: "ElastiCache Redis OSS on-demand × 0.8 (Valkey)" },
} as const;

/**
 * Regional RDS / ElastiCache instance rates from an older build. A type is carried to the build's other regions
 * only where the build's us-east-1 rate equals today's transcribed us-east-1 rate (AWS has not repriced it since);
 * rows already transcribed stay; types the build lacks (newer families) stay unpriced outside their transcribed regions.
 */
function fromInstanceBuild(b: Builder, family: keyof typeof INSTANCE_FAMILIES, build: InstanceBuild) {
    const f = INSTANCE_FAMILIES[family];
    const src = b.source({
        source: `${build.repository} build (commit ${build.commit.slice(0, 7)}, MIT) from the AWS Price List: ${f.what}; carried only where its us-east-1 rate equals today's`,
        read: build.built,
        confidence: "check",
    });
    const today = b.rows.aws["us-east-1"] ?? {};
    for (const row of build.rows) {
        const key = `${f.prefix}${row.instance_type}`;
        const rate = (region: string) => {
            const v = Number(row.pricing?.[region]?.[f.engine]?.ondemand);
            return Number.isFinite(v) && v > 0 ? Math.round(v * f.factor * 1e6) / 1e6 : undefined;
        };
        const current = today[key]?.[0];
        const old = rate("us-east-1");
        if (current === undefined || old === undefined || Math.abs(old - current) > current * 0.005) continue;
        for (const region of Object.keys(row.pricing ?? {})) {
            const price = rate(region);
            if (price !== undefined && !b.rows.aws[region]?.[key])
                b.set("aws", region, key, [...b.units.aws[key]] as [string, number | null], price, src);
        }
    }
}

/** Builds the table: GCP regions are the catalog's; Cloud Run's tier decides its rates per region. */
export function deriveTable(input: SnapshotInput): GeneratedTable {
    const b = new Builder();
    const t = input.transcribed;
    const gcpRegions = Object.keys(input.gcpCatalog?.region ?? {}).sort();
    fromCatalog(b, input.gcpCatalog, gcpRegions);
    multiRegionStorage(b, input.gcpCatalog, t);
    const run = t.gcp.runTiers;
    for (const tier of ["1", "2"] as const) {
        const src = b.source({ source: `${run.source}: Tier ${tier}`, read: t.read, confidence: tier === "1" ? "high" : run.confidence });
        for (const region of tier === "1" ? run.tier1 : run.tier2) {
            for (const [key, price] of Object.entries(run.prices[tier])) b.set("gcp", region, key, run.units[key], price, src);
        }
    }
    b.transcribed("gcp", t.gcp.entries, gcpRegions, t.read);
    b.transcribed("aws", t.aws.entries, t.aws.regions, t.read);
    for (const family of ["rds", "cache"] as const) {
        const build = input.awsInstanceBuilds?.[family];
        if (build) fromInstanceBuild(b, family, build);
    }
    const sorted = (rows: Record<string, Record<string, Row>>) =>
        Object.fromEntries(
            Object.keys(rows)
                .sort()
                .map((r) => [r, rows[r]]),
        );
    return { snapshot: input.name, sources: b.sources, units: b.units, gcp: sorted(b.rows.gcp), aws: sorted(b.rows.aws) };
}
