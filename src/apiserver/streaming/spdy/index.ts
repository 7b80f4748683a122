// SPDY/3.1 as kubectl speaks it (exec, attach, cp and port-forward): frames, compressed header
// blocks, and a session with streams and flow control over any byte Duplex.
export { SpdyConnection, DEFAULT_WINDOW, type SpdyConnectionOptions } from './connection.ts';
export { SpdyStream } from './stream.ts';
export { type SpdyHeaders, encodeHeaderBlock, decodeHeaderBlock, HeaderCompressor, HeaderDecompressor } from './header-block.ts';
export { encode, FrameParser, FrameType, RstStatus, GoAwayStatus, SettingsId, FLAG_FIN, SpdyProtocolError, type Frame } from './frames.ts';
export { SPDY3_HEADER_DICTIONARY } from './dictionary.ts';
