// Loaded with `node --import` into an MCP server under test that listens on every interface (prometheus-mcp's
// `app.listen(port)`): a listen() given only a port binds 127.0.0.1 instead, so the test opens no outside port.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if ((typeof args[0] === 'number' || typeof args[0] === 'string') && (args.length === 1 || typeof args[1] === 'function')) {
    return listen.call(this, Number(args[0]), '127.0.0.1', ...args.slice(1));
  }
  return listen.apply(this, args);
};
