"use strict";
const pulumi = require("@pulumi/pulumi");
const widgets = require("@acme/widgets");

const config = new pulumi.Config();
const big = new widgets.Widget("big", { color: config.require("color"), size: 3 });
const gadget = new widgets.Gadget("gadget", { color: big.color });

exports.widget = gadget.widget.urn;
