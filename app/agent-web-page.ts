/**
 * The web chat's page: HTML, script and style, served by `aiml-observability agent serve` from its own origin (no
 * CDN, no framework, nothing fetched from elsewhere; the Content-Security-Policy allows only this origin).
 *
 * The browser keeps the user's conversations in localStorage (`aiml-agent.conversations`) and a random id of its
 * own (`aiml-agent.browser`); each question is sent with the conversation's earlier questions and answers. Answers
 * stream in as newline-delimited JSON; every tool call is shown as it is made, with its arguments and then its
 * outcome; write calls wait for Allow / Deny. Everything the model or a tool wrote is shown as text (textContent),
 * never as HTML. "Export Markdown" downloads the conversation with its tool calls.
 */

export const CHAT_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>aiml-observability agent</title>
<link rel="stylesheet" href="/chat.css">
<script src="/chat.js" defer></script>
</head>
<body>
<aside>
  <h1>Diagnosis agent</h1>
  <p id="session" data-testid="session">connecting…</p>
  <button id="new" type="button" data-testid="new-conversation">New conversation</button>
  <ul id="conversations" data-testid="conversations"></ul>
  <p class="note">Conversations are kept in this browser only. Every tool call is logged on the server.</p>
</aside>
<main>
  <div id="messages" data-testid="messages" aria-live="polite"></div>
  <form id="ask" data-testid="ask-form">
    <textarea id="question" data-testid="question" rows="3" placeholder="Why is my training job slow?" required></textarea>
    <div class="actions">
      <button id="send" type="submit" data-testid="send">Ask</button>
      <button id="export" type="button" data-testid="export">Export Markdown</button>
    </div>
  </form>
</main>
</body>
</html>
`;

export const CHAT_CSS = `
* { box-sizing: border-box; }
body { margin: 0; display: flex; height: 100vh; font: 14px/1.45 system-ui, sans-serif; color: #1d2330; }
aside { width: 260px; padding: 12px; background: #f3f4f7; border-right: 1px solid #d8dbe2; overflow-y: auto; }
aside h1 { font-size: 16px; margin: 0 0 6px; }
aside ul { list-style: none; padding: 0; }
aside li { padding: 4px 6px; cursor: pointer; border-radius: 4px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
aside li.current { background: #dfe4ee; font-weight: 600; }
.note { color: #5b6275; font-size: 12px; }
main { flex: 1; display: flex; flex-direction: column; min-width: 0; }
#messages { flex: 1; overflow-y: auto; padding: 16px; }
.turn { margin-bottom: 22px; }
.question { font-weight: 600; white-space: pre-wrap; margin-bottom: 6px; }
.answer { white-space: pre-wrap; }
.tool-call { font: 12px/1.4 ui-monospace, monospace; background: #f6f7f9; border-left: 3px solid #8a94a8; margin: 4px 0; padding: 3px 8px; }
.tool-call.write { border-left-color: #c0392b; }
.tool-call .outcome { color: #3d6b35; }
.tool-call.failed .outcome, .tool-call.denied .outcome, .tool-call.refused .outcome, .tool-call.tool-error .outcome { color: #a12b1f; }
.tool-call pre { margin: 2px 0; white-space: pre-wrap; word-break: break-all; }
.approval { border: 2px solid #c0392b; padding: 8px; margin: 6px 0; background: #fff5f4; }
.error { color: #a12b1f; }
form { display: flex; gap: 8px; padding: 12px; border-top: 1px solid #d8dbe2; }
textarea { flex: 1; font: inherit; padding: 6px; }
.actions { display: flex; flex-direction: column; gap: 6px; }
button { font: inherit; padding: 6px 12px; cursor: pointer; }
`;

export const CHAT_JS = `'use strict';
(function () {
  var STORE = 'aiml-agent.conversations';
  var BROWSER = 'aiml-agent.browser';
  var CURRENT = 'aiml-agent.current';
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }
  function load() { try { return JSON.parse(localStorage.getItem(STORE) || '[]'); } catch (e) { return []; } }
  function save() { localStorage.setItem(STORE, JSON.stringify(conversations)); }
  var browserId = localStorage.getItem(BROWSER);
  if (!browserId) { browserId = uuid(); localStorage.setItem(BROWSER, browserId); }
  var conversations = load();
  var current = null;
  var busy = false;
  var el = function (id) { return document.getElementById(id); };
  function make(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function find(id) { return conversations.filter(function (c) { return c.id === id; })[0]; }
  function select(id) {
    current = find(id);
    if (!current) { current = { id: uuid(), title: 'New conversation', created: new Date().toISOString(), turns: [] }; conversations.unshift(current); save(); }
    localStorage.setItem(CURRENT, current.id);
    render();
  }
  function renderList() {
    var list = el('conversations');
    list.textContent = '';
    conversations.forEach(function (c) {
      var li = make('li', c === current ? 'current' : '', c.title);
      li.title = c.title;
      li.addEventListener('click', function () { if (!busy) select(c.id); });
      list.appendChild(li);
    });
  }
  function toolLine(call) {
    var box = make('div', 'tool-call ' + (call.access === 'write' ? 'write ' : '') + (call.outcome || 'running'));
    box.setAttribute('data-testid', 'tool-call');
    box.setAttribute('data-tool', call.server + '.' + call.tool);
    box.appendChild(make('div', 'name', '→ ' + call.server + '.' + call.tool + (call.access === 'write' ? ' [WRITE]' : '')));
    box.appendChild(make('pre', 'args', JSON.stringify(call.arguments)));
    var out = make('div', 'outcome', call.outcome ? outcomeText(call) : 'running…');
    out.setAttribute('data-testid', 'tool-outcome');
    box.appendChild(out);
    return box;
  }
  function outcomeText(call) {
    return '← ' + call.outcome + ', ' + call.resultBytes + ' B, ' + call.durationMs + ' ms' + (call.truncated ? ' (cut for the model)' : '') + ': ' + call.summary;
  }
  function turnView(turn) {
    var box = make('div', 'turn');
    box.setAttribute('data-testid', 'turn');
    box.appendChild(make('div', 'question', turn.question));
    var calls = make('div', 'calls');
    (turn.tools || []).forEach(function (call) { calls.appendChild(toolLine(call)); });
    box.appendChild(calls);
    var answer = make('div', 'answer', turn.answer || '');
    answer.setAttribute('data-testid', 'answer');
    box.appendChild(answer);
    if (turn.error) box.appendChild(make('div', 'error', 'Error: ' + turn.error));
    return { box: box, calls: calls, answer: answer };
  }
  function render() {
    renderList();
    var m = el('messages');
    m.textContent = '';
    current.turns.forEach(function (t) { m.appendChild(turnView(t).box); });
  }
  function showSession() {
    fetch('/api/session').then(function (r) { return r.json(); }).then(function (s) {
      el('session').textContent = 'model ' + s.model + ' · servers ' + s.servers.join(', ') + (s.writeNamespaces.length ? ' · writes in ' + s.writeNamespaces.join(', ') + ' need your approval' : ' · read-only');
    }).catch(function () { el('session').textContent = 'the server does not answer'; });
  }
  function decide(approval, approved, box) {
    box.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
    fetch('/api/approve', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ approval: approval, approved: approved, browser: browserId }) });
  }
  function approvalView(ev) {
    var box = make('div', 'approval');
    box.setAttribute('data-testid', 'approval');
    box.setAttribute('data-approval', ev.approval);
    box.appendChild(make('div', '', 'The agent wants to CHANGE something' + (ev.destructive ? ' (may be destructive)' : '') + ': ' + ev.server + '.' + ev.tool));
    box.appendChild(make('pre', '', JSON.stringify(ev.arguments, null, 2)));
    var yes = make('button', '', 'Allow');
    yes.type = 'button'; yes.setAttribute('data-testid', 'approve');
    var no = make('button', '', 'Deny');
    no.type = 'button'; no.setAttribute('data-testid', 'deny');
    yes.addEventListener('click', function () { decide(ev.approval, true, box); });
    no.addEventListener('click', function () { decide(ev.approval, false, box); });
    box.appendChild(yes); box.appendChild(no);
    return box;
  }
  async function ask(question) {
    busy = true;
    el('send').disabled = true;
    var conv = current;
    var earlier = conv.turns.filter(function (t) { return !t.error; }).map(function (t) { return { question: t.question, answer: t.answer }; });
    var turn = { question: question, answer: '', tools: [], asked: new Date().toISOString() };
    if (conv.turns.length === 0) conv.title = question.slice(0, 60);
    conv.turns.push(turn);
    renderList();
    var view = turnView(turn);
    el('messages').appendChild(view.box);
    var boxes = {};
    function handle(ev) {
      if (ev.type === 'text') { turn.answer += ev.delta; view.answer.textContent = turn.answer; }
      else if (ev.type === 'answer') { turn.answer = ev.text; view.answer.textContent = ev.text; }
      else if (ev.type === 'tool-call') {
        var call = { id: ev.id, server: ev.server, tool: ev.tool, arguments: ev.arguments, access: ev.access };
        turn.tools.push(call);
        boxes[ev.id] = toolLine(call);
        view.calls.appendChild(boxes[ev.id]);
      } else if (ev.type === 'tool-result') {
        var c = turn.tools.filter(function (t) { return t.id === ev.id; })[0];
        if (c) {
          c.outcome = ev.outcome; c.durationMs = ev.durationMs; c.resultBytes = ev.resultBytes; c.truncated = ev.truncated; c.summary = ev.summary;
          var fresh = toolLine(c);
          view.calls.replaceChild(fresh, boxes[ev.id]);
          boxes[ev.id] = fresh;
        }
      } else if (ev.type === 'approval') { view.calls.appendChild(approvalView(ev)); }
      else if (ev.type === 'approval-decided') {
        view.calls.querySelectorAll('[data-testid=approval]').forEach(function (b) {
          if (b.getAttribute('data-approval') !== ev.approval) return;
          b.querySelectorAll('button').forEach(function (x) { x.disabled = true; });
          var done = make('div', 'decided', ev.approved ? 'Allowed.' : 'Not allowed (denied, or no answer in time).');
          done.setAttribute('data-testid', 'approval-decided');
          b.appendChild(done);
        });
      }
      else if (ev.type === 'step-limit') { turn.stepLimit = ev.maxSteps; }
      else if (ev.type === 'error') { turn.error = ev.message; view.box.appendChild(make('div', 'error', 'Error: ' + ev.message)); }
      el('messages').scrollTop = el('messages').scrollHeight;
    }
    try {
      var res = await fetch('/api/ask', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: question, conversation: conv.id, browser: browserId, earlierTurns: earlier }),
      });
      if (!res.ok) { var body = await res.json().catch(function () { return {}; }); throw new Error(body.error || res.statusText); }
      var reader = res.body.getReader();
      var decoder = new TextDecoder();
      var buffer = '';
      for (;;) {
        var chunk = await reader.read();
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        var lines = buffer.split('\\n');
        buffer = lines.pop();
        lines.filter(Boolean).forEach(function (line) { handle(JSON.parse(line)); });
      }
      if (buffer.trim()) handle(JSON.parse(buffer));
    } catch (e) {
      handle({ type: 'error', message: e.message });
    } finally {
      save();
      busy = false;
      el('send').disabled = false;
      document.body.setAttribute('data-idle', 'true');
    }
  }
  function markdown(conv) {
    var out = ['# ' + conv.title, '', 'Conversation ' + conv.id + ', exported ' + new Date().toISOString() + ' from the aiml-observability diagnosis agent.', ''];
    conv.turns.forEach(function (t, i) {
      out.push('## ' + (i + 1) + '. ' + t.question.split('\\n')[0], '');
      if (t.question.indexOf('\\n') >= 0) out.push('> ' + t.question.split('\\n').join('\\n> '), '');
      if (t.tools.length) {
        out.push('Tool calls:', '');
        t.tools.forEach(function (c) {
          out.push('- ' + '\\u0060' + c.server + '.' + c.tool + '\\u0060' + (c.access === 'write' ? ' (write)' : '') + ' ' + '\\u0060' + JSON.stringify(c.arguments) + '\\u0060' +
            (c.outcome ? ' → ' + c.outcome + ', ' + c.resultBytes + ' B, ' + c.durationMs + ' ms: ' + c.summary : ''));
        });
        out.push('');
      }
      out.push(t.error ? '**Error:** ' + t.error : t.answer, '');
    });
    return out.join('\\n');
  }
  el('ask').addEventListener('submit', function (e) {
    e.preventDefault();
    var q = el('question').value.trim();
    if (!q || busy) return;
    el('question').value = '';
    document.body.removeAttribute('data-idle');
    ask(q);
  });
  el('question').addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); el('ask').requestSubmit(); }
  });
  el('new').addEventListener('click', function () { if (!busy) select(null); });
  el('export').addEventListener('click', function () {
    var blob = new Blob([markdown(current)], { type: 'text/markdown' });
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'aiml-agent-' + current.id + '.md';
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  });
  select(localStorage.getItem(CURRENT));
  showSession();
  document.body.setAttribute('data-idle', 'true');
})();
`;
