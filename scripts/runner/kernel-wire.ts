/**
 * The Jupyter wire protocol's framing: [routing ids…, "<IDS|MSG>", hmac, header, parent_header, metadata,
 * content], signed with HMAC-SHA256 over the four JSON frames (tslab always uses sha256).
 */
import { createHmac, randomUUID } from "node:crypto";

export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

export interface Message {
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
}

const DELIMITER = "<IDS|MSG>";

export function newMessage(msgType: string, session: string, content: Record<string, unknown>): Message {
  return {
    header: { msg_id: randomUUID(), msg_type: msgType, session, username: "runner", date: new Date().toISOString(), version: "5.3" },
    parent_header: {},
    metadata: {},
    content,
  };
}

export function encodeMessage(key: string, message: Message): string[] {
  const parts = [message.header, message.parent_header, message.metadata, message.content].map((part) => JSON.stringify(part));
  return [DELIMITER, sign(key, parts), ...parts];
}

/** Decodes a received multipart message; throws when the delimiter is missing or the signature is wrong. */
export function decodeMessage(key: string, frames: Buffer[]): Message {
  const at = frames.findIndex((frame) => frame.toString() === DELIMITER);
  if (at < 0) throw new Error("message without <IDS|MSG> delimiter");
  const signature = frames[at + 1]?.toString() ?? "";
  const parts = frames.slice(at + 2, at + 6).map((frame) => frame.toString("utf8"));
  if (parts.length !== 4) throw new Error(`message with ${parts.length} of 4 JSON frames`);
  if (signature !== sign(key, parts)) throw new Error("message with a wrong HMAC signature");
  const [header, parent_header, metadata, content] = parts.map((part) => JSON.parse(part) as unknown) as [MessageHeader, Partial<MessageHeader>, Record<string, unknown>, Record<string, unknown>];
  return { header, parent_header, metadata, content };
}

function sign(key: string, parts: string[]): string {
  const hmac = createHmac("sha256", key);
  for (const part of parts) hmac.update(part);
  return hmac.digest("hex");
}
