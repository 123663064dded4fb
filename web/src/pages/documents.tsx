/**
 * Documents for the regulator (src/report/documents, `chujing report`): each kind drafted from the same
 * assessment, ledger and life cycle, for all the transfers that need it or one transfer / recipient,
 * downloaded as DOCX, PDF, HTML, Markdown or JSON in either language.
 */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { Failure, Show } from '../components.js';
import { useWords } from '../i18n.js';
import { useLoad } from '../load.js';
import type { PageProps } from '../main.js';
import type { Choices } from '../types.js';

interface DocumentList {
  kinds: { kind: string; scope: 'transfers' | 'organization' }[];
  formats: string[];
}

const EXT: Record<string, string> = { docx: 'docx', pdf: 'pdf', html: 'html', md: 'md', json: 'json' };

export function DocumentsPage({ route }: PageProps) {
  const w = useWords();
  const list = useLoad(() => api.get<DocumentList>('/v1/documents'), []);
  const choices = useLoad(() => api.get<Choices>('/v1/ui/choices'), []);
  return (
    <div class="page" data-testid="documents">
      <h1>{w.t('web.documents.title')}</h1>
      <p class="muted">{w.t('web.documents.help')}</p>
      <Show load={list}>
        {(l) => (
          <div class="doc-cards">
            {l.kinds.map((k) => (
              <DocumentCard key={k.kind} kind={k.kind} scope={k.scope} formats={l.formats} choices={choices.data} transfer={route.query.get('transfer') ?? ''} />
            ))}
          </div>
        )}
      </Show>
    </div>
  );
}

function DocumentCard({ kind, scope, formats, choices, transfer: initialTransfer }: { kind: string; scope: string; formats: string[]; choices: Choices | null; transfer: string }) {
  const w = useWords();
  const [format, setFormat] = useState(formats.includes('docx') ? 'docx' : formats[0]!);
  const [lang, setLang] = useState<string>(w.lang);
  const [transfer, setTransfer] = useState(scope === 'transfers' ? initialTransfer : '');
  const [recipient, setRecipient] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const id = `doc-${kind}`;
  const download = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const q = new URLSearchParams({ format, lang });
    if (transfer.trim()) q.set('transfer', transfer.trim());
    if (recipient) q.set('recipient', recipient);
    try {
      await api.download(`/v1/documents/${kind}?${q}`, `${kind}${transfer.trim() ? `-${transfer.trim()}` : ''}.${lang}.${EXT[format] ?? format}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="doc-card" aria-labelledby={`${id}-h`} onSubmit={download} noValidate>
      <h2 id={`${id}-h`}>{w.maybe(`doc.kind.${kind}`, kind)}</h2>
      <p class="muted small">
        <code class="code-tag">chujing report {kind}</code>
      </p>
      <div class="row">
        {scope === 'transfers' && (
          <>
            <div class="field">
              <label for={`${id}-transfer`}>{w.t('web.documents.transfer')}</label>
              <input id={`${id}-transfer`} value={transfer} onInput={(e) => setTransfer((e.target as HTMLInputElement).value)} placeholder={w.t('web.documents.all-needing')} />
            </div>
            <div class="field">
              <label for={`${id}-recipient`}>{w.t('web.documents.recipient')}</label>
              <select id={`${id}-recipient`} value={recipient} onChange={(e) => setRecipient((e.target as HTMLSelectElement).value)}>
                <option value="">{w.t('web.filter.all')}</option>
                {choices?.recipients.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name} ({r.country})
                  </option>
                ))}
              </select>
            </div>
          </>
        )}
        <div class="field">
          <label for={`${id}-format`}>{w.t('web.documents.format')}</label>
          <select id={`${id}-format`} value={format} onChange={(e) => setFormat((e.target as HTMLSelectElement).value)}>
            {formats.map((f) => (
              <option key={f} value={f}>
                {w.maybe(`web.documents.format.${f}`, f)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-lang`}>{w.t('web.documents.language')}</label>
          <select id={`${id}-lang`} value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value)}>
            <option value="zh">{w.t('webui.lang.zh')}</option>
            <option value="en">{w.t('webui.lang.en')}</option>
          </select>
        </div>
      </div>
      <button type="submit" class="btn btn-primary" disabled={busy} data-testid={`download-${kind}`}>
        {busy ? w.t('web.documents.drafting') : w.t('web.documents.download')}
      </button>
      {error !== null && <Failure error={error} />}
    </form>
  );
}
