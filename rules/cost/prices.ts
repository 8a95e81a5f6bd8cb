/**
 * Public list prices as data, per cloud, region and priced dimension, with unit, monthly free tier,
 * source, date and confidence. Generated from a dated price snapshot by `npm run prices -- <snapshot>`
 * (scripts/prices.ts, rules/cost/derive.ts) into prices.generated.ts; never edited by hand. A region or
 * key missing here is reported as unpriced, never guessed. Monthly = 730 hours. USD.
 */
import { Confidence, GeneratedTable, Row } from "./derive";

export type { Confidence } from "./derive";

export interface Price {
    readonly unitPrice: number;
    readonly unit: string;
    /** Units free each month (per billing account or project, as the source says). */
    readonly freeTier?: number;
    readonly source: string;
    /** When the source was published or read (YYYY-MM-DD). */
    readonly read: string;
    readonly confidence: Confidence;
}

export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

let parsed: GeneratedTable | undefined;
/** The generated table (prices.generated.json, data shipped beside this module), read on first use. */
export function priceTable(): GeneratedTable {
    parsed ??= require("./prices.generated.json") as GeneratedTable;
    return parsed;
}

function priceOf(table: GeneratedTable, cloud: "gcp" | "aws", key: string, row: Row): Price {
    const [unit, defaultFree] = table.units[cloud][key];
    const src = table.sources[row[1]];
    const free = row.length === 3 ? row[2] : defaultFree;
    return {
        unitPrice: row[0],
        unit,
        source: src.source,
        read: src.read,
        confidence: src.confidence,
        ...(free !== null && free !== undefined && free > 0 ? { freeTier: free } : {}),
    };
}

/** A cloud's prices by region then key, each region's map built on first access. */
function regionalPrices(cloud: "gcp" | "aws"): Readonly<Record<string, Readonly<Record<string, Price>>>> {
    const built = new Map<string, Readonly<Record<string, Price>>>();
    const regionRows = () => priceTable()[cloud];
    return new Proxy({} as Record<string, Readonly<Record<string, Price>>>, {
        get(_target, region) {
            if (typeof region !== "string" || !Object.hasOwn(regionRows(), region)) return undefined;
            let prices = built.get(region);
            if (!prices) {
                const table = priceTable();
                prices = Object.fromEntries(
                    Object.entries(table[cloud][region]).map(([key, row]) => [key, priceOf(table, cloud, key, row)]),
                );
                built.set(region, prices);
            }
            return prices;
        },
        has: (_target, region) => typeof region === "string" && Object.hasOwn(regionRows(), region),
        ownKeys: () => Object.keys(regionRows()),
        getOwnPropertyDescriptor: (_target, region) =>
            typeof region === "string" && Object.hasOwn(regionRows(), region) ? { enumerable: true, configurable: true } : undefined,
    });
}

/** GCP prices by region, then dimension. */
export const GCP_PRICES = regionalPrices("gcp");
/** AWS prices by region, then dimension. */
export const AWS_PRICES = regionalPrices("aws");
