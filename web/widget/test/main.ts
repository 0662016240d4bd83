// Entry point of the widget's JS unit tests (see harness.ts).
import "./sse.test";
import "./markdown.test";
import "./handshake.test";
import "./api.test";
import "./misc.test";
import "./identity.test";
import "./frame.test";
import "./loader.test";
import { run } from "./harness";

run();
