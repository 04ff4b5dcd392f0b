// Postmark's official Node.js client (npm package postmark) against Petrel, as an application uses it: the only
// change from sending through Postmark is the client's host (the requestHost and useHttps options). Reads what to
// send with from standard input as JSON ({host, token, from, to, cc, bcc, stream, suppressed}), and prints on standard output
// what the library answered or threw for each call, as JSON. Run by dev.petrel.e2e.PostmarkTest.
"use strict";
const postmark = require("postmark");

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

function client(plan, token) {
    return new postmark.ServerClient(token, { requestHost: plan.host, useHttps: false, timeout: 30 });
}

// what the library threw: its error class (InvalidAPIKeyError, InvalidEmailRequestError, ...) and what it read
function thrown(error) {
    return {
        class: error.constructor.name,
        name: error.name,
        code: error.code,
        statusCode: error.statusCode,
        message: error.message,
        recipients: error.recipients,
    };
}

async function outcome(call) {
    try {
        return { answer: await call() };
    } catch (error) {
        return { error: thrown(error) };
    }
}

// one message built with the library's own models: two files (one inline), a header, tag, metadata, a stream
function receipt(plan) {
    const html = '<p>Thanks for your order. <img src="cid:logo.png"></p>';
    const message = new postmark.Models.Message(plan.from, "Your receipt", html, "Thanks for your order.", plan.to,
        plan.cc, plan.bcc, plan.from, "receipt", true, postmark.Models.LinkTrackingOptions.HtmlAndText,
        [new postmark.Models.Header("X-Order", "42")],
        [new postmark.Models.Attachment("logo.png", PNG, "image/png", "cid:logo.png"),
         new postmark.Models.Attachment("receipt.pdf", Buffer.from("%PDF-1.4\n").toString("base64"),
             "application/pdf")],
        { order: "42" });
    message.MessageStream = plan.stream;
    return message;
}

async function main() {
    const plan = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const app = client(plan, plan.token);
    const out = {};
    out.single = await outcome(() => app.sendEmail(receipt(plan)));
    out.batch = await outcome(() => app.sendEmailBatch([
        { From: plan.from, To: plan.to, Subject: "First of the batch", TextBody: "one", Tag: "batch" },
        { From: plan.from, To: "nobody-at-all", Subject: "An address that is none", TextBody: "two" },
        { From: plan.from, To: plan.cc, Subject: "Third of the batch", HtmlBody: "<p>three</p>",
          MessageStream: "outbound" },
    ]));
    out.badToken = await outcome(() => client(plan, "pk_not_a_key").sendEmail(
        { From: plan.from, To: plan.to, Subject: "x", TextBody: "x" }));
    out.invalidFrom = await outcome(() => app.sendEmail(
        { From: "not an address", To: plan.to, Subject: "x", TextBody: "x" }));
    out.suppressed = await outcome(() => app.sendEmail(
        { From: plan.from, To: plan.suppressed, Subject: "x", TextBody: "x" }));
    process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((error) => {
    process.stderr.write("send.js: " + (error.stack || error) + "\n");
    process.exit(1);
});
