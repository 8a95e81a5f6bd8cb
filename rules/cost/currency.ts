/**
 * Currency of the estimate. Every price in the table is a USD list price; a budget in another
 * currency is compared only through an exchange assumption the user states with its date (the
 * budget-covers-estimate policy's `exchangeRates` setting). Runway keeps no exchange rates of its
 * own: Google bills a non-USD billing account at its own SKU prices in that currency, which follow
 * no daily market rate, so any built-in rate would be a guess dressed as a fact.
 */

/** Units of a currency per US dollar, on a stated date (e.g. `{ perUsd: 0.86, date: "2026-12-01" }`). */
export interface ExchangeAssumption {
    readonly perUsd: number;
    /** The day the rate is from (YYYY-MM-DD): printed with every converted figure. */
    readonly date: string;
    /** Where it came from (e.g. "ECB reference rate", "our billing account's SKU prices"). */
    readonly source?: string;
}

/** The policy config schema of one exchange assumption. */
export const EXCHANGE_ASSUMPTION_SCHEMA = {
    type: "object" as const,
    properties: {
        perUsd: { type: "number" as const, exclusiveMinimum: 0, description: "Units of the currency per US dollar." },
        date: { type: "string" as const, pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "The day the rate is from (YYYY-MM-DD)." },
        source: { type: "string" as const, description: "Where the rate comes from." },
    },
    required: ["perUsd", "date"],
    additionalProperties: false,
};

export type Conversion = { ok: true; amount: number; note?: string } | { ok: false; reason: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A USD amount in `currency`, through the stated assumption for it; a clear refusal when there is none. */
export function toCurrency(usd: number, currency: string, rates: Readonly<Record<string, ExchangeAssumption>>): Conversion {
    const code = currency.toUpperCase();
    if (code === "USD") return { ok: true, amount: usd };
    const rate = rates[code];
    if (!rate) {
        return {
            ok: false,
            reason: `it is in ${code}; the estimate is in USD (list prices) and no exchange assumption for ${code} is stated. Set the policy's exchangeRates.${code} to {"perUsd": <${code} per USD>, "date": "YYYY-MM-DD"}, or keep the budget in USD.`,
        };
    }
    if (!(typeof rate.perUsd === "number" && Number.isFinite(rate.perUsd) && rate.perUsd > 0) || !DATE.test(String(rate.date ?? ""))) {
        return {
            ok: false,
            reason: `the exchange assumption for ${code} (${JSON.stringify(rate)}) needs perUsd > 0 and a date YYYY-MM-DD.`,
        };
    }
    return {
        ok: true,
        amount: usd * rate.perUsd,
        note: `${usd.toFixed(2)} USD at ${rate.perUsd} ${code}/USD as of ${rate.date}${rate.source ? `, ${rate.source}` : ""}`,
    };
}
