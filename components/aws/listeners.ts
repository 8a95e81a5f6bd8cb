import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** What to add at the DNS host so ACM issues the certificate (logged while `pulumi up` waits for it). */
export function certificateRecordMessage(domain: string, r: { name: string; type: string; value: string }): string {
    return `ACM is waiting to issue the certificate for ${domain}: add this DNS record at your DNS host: ${r.name} ${r.type} ${r.value}`;
}

/** The listeners of an Application Load Balancer forwarding to one target group. */
export interface AlbListenersArgs {
    /** The load balancer the listeners belong to. */
    readonly loadBalancerArn: pulumi.Input<string>;
    /** Where the listener (HTTPS with a domain, else HTTP) forwards. */
    readonly targetGroupArn: pulumi.Input<string>;
    /** Hostname served over HTTPS with an ACM certificate (DNS validation); HTTP then redirects. @default none: plain HTTP */
    readonly domain?: string;
}

/**
 * HTTP forwarding to the targets, or, with a domain, HTTPS (TLS 1.2+ policy, an ACM certificate the
 * listener waits for) forwarding and HTTP answering 301 to HTTPS. Children `<name>-http`,
 * `<name>-https`, `<name>-certificate` under `parent`.
 */
export function albListeners(
    name: string,
    args: AlbListenersArgs,
    parent: pulumi.Resource,
): { listeners: aws.lb.Listener[]; validationRecords: pulumi.Output<{ name: string; type: string; value: string }[]> } {
    const o = { parent };
    const forward = [{ type: "forward", targetGroupArn: args.targetGroupArn }];
    const http = (defaultActions: aws.types.input.lb.ListenerDefaultAction[]) =>
        new aws.lb.Listener(`${name}-http`, { loadBalancerArn: args.loadBalancerArn, port: 80, protocol: "HTTP", defaultActions }, o);
    const domain = args.domain;
    if (!domain) return { listeners: [http(forward)], validationRecords: pulumi.output([]) };
    const certificate = new aws.acm.Certificate(
        `${name}-certificate`,
        { domainName: domain, validationMethod: "DNS", keyAlgorithm: "RSA_2048" },
        o,
    );
    // Waits until the DNS record below exists (add it at your DNS host): the listener needs an issued certificate.
    const validation = new aws.acm.CertificateValidation(`${name}-certificate`, { certificateArn: certificate.arn }, o);
    const https = new aws.lb.Listener(
        `${name}-https`,
        {
            loadBalancerArn: args.loadBalancerArn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            certificateArn: validation.certificateArn,
            defaultActions: forward,
        },
        o,
    );
    const redirect = http([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
    const validationRecords = certificate.domainValidationOptions.apply((options) => {
        const records = options.map((v) => ({ name: v.resourceRecordName, type: v.resourceRecordType, value: v.resourceRecordValue }));
        // `pulumi up` waits for the certificate: stack outputs appear only after it, so say now what to add.
        for (const r of records) pulumi.log.info(certificateRecordMessage(domain, r), certificate);
        return records;
    });
    return { listeners: [https, redirect], validationRecords };
}
