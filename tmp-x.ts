import { planStack } from "./tests/helpers/plans";
(async () => {
    for (const [s, c] of [
        ["production", {}],
        ["production", { "runway:cloud": "aws", "aws:region": "us-east-1" }],
    ] as const) {
        const { document, diagnostics } = await planStack(s, c as any);
        for (const r of document.resources.filter((r) => /preview/.test(r.name) && r.custom))
            console.log(r.type, r.name, JSON.stringify(r.inputs).slice(0, 1500));
        console.log(diagnostics.filter((d) => /previewer/.test(d)));
    }
})();
