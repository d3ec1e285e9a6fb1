import { useTranslation } from 'react-i18next';
import type { CellDetail, EntityDetail, EventDetail, PointDetail } from '../data/backend';
import { POINT_KINDS } from '../domain/ids';
import type { CellProperties } from '../domain/records';
import type { RiskOptions } from '../domain/risk-index';
import { categoryLabel } from '../i18n/categories';
import { CELL_CLASS_COLORS } from '../state/palettes';
import { CellClassSection } from './cell-class-section';
import { CellPatrols } from './cell-patrols';
import { formatCount, formatDateTime } from './format';

export type InspectorContent =
  | { type: 'loading' }
  | { type: 'missing' }
  | { type: 'error'; message: string }
  | { type: 'cell'; cell: CellDetail }
  /** What the map knows of a cell while its details load (from the database once it is up). */
  | { type: 'cell-preview'; cell: CellProperties }
  | { type: 'point'; point: PointDetail };

export interface InspectorProps {
  content: InspectorContent;
  /** Administrators may set a cell's class by hand. */
  canOverride?: boolean;
  /** After the cell's class was changed here. */
  onCellChanged?(): void;
  /** Opens a saved rule set (the one a cell's class names); absent: the user may not open rule sets. */
  onOpenRuleSet?(ruleSet: { name: string; version: number }): void;
  /** Starts a case in the cell or from the event shown; absent: the user may not report cases. */
  onReportCase?(from: { cellCode: string } | { event: EventDetail }): void;
  /** Opens the risk governance stages of a cell. */
  onGovernance?(cell: { code: string; name: string }): void;
  /** Opens the sheet of the cell's house plates (门牌) to print. */
  onPlates?(cell: { code: string; name: string; communityCode: string; communityName: string | null }): void;
  /** Opens the cell's zone report (A4, to print). */
  onZoneReport?(code: string): void;
  /** A cell's patrols; `onStart` where the grid worker may start one of this cell. */
  patrols?: { version: unknown; busy: boolean; error: unknown; onStart?(cellCode: string): void };
  onClose(): void;
}

function Row({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

/** Why a cell has its class, in words: the rule set's inputs, score and cut-offs, or the manual reason. */
export function ClassReason({
  cell,
  onOpenRuleSet,
}: {
  cell: Pick<CellDetail, 'classSource' | 'classReason'>;
  onOpenRuleSet?: InspectorProps['onOpenRuleSet'];
}) {
  const { t } = useTranslation();
  if (cell.classSource === 'manual') return <>{cell.classReason}</>;
  try {
    const r = JSON.parse(cell.classReason) as Record<string, unknown>;
    if (typeof r.overrideCleared === 'string') return <>{t('inspector.reasonCleared', { reason: r.overrideCleared })}</>;
    if (r.cutoffs && typeof r.cutoffs === 'object') {
      // A rule set run (src/domain/classify.ts): its inputs, score and the cut-offs.
      const cut = r.cutoffs as { A: number | null; B: number | null };
      const inputs = Object.entries((r.inputs ?? {}) as Record<string, number>)
        .map(([k, v]) => `${t(`classify.inputs.${k}`)} ${Number(v.toFixed(2))}`)
        .join(t('inspector.inputSeparator'));
      const risk = r.risk as RiskOptions | undefined;
      return (
        <>
          {t('inspector.reasonRuleSet', {
            rule: r.rule,
            version: r.version ?? '',
            score: r.score,
            a: cut.A ?? '—',
            b: cut.B ?? '—',
            inputs,
          })}
          {risk &&
            t('inspector.reasonRisk', {
              per: t(risk.per === 'residents' ? 'risk.perResidents' : 'risk.perArea'),
              weight: risk.hazardWeight,
            })}
          {typeof r.halfLifeDays === 'number' && t('inspector.reasonHalfLife', { days: r.halfLifeDays })}
          {onOpenRuleSet && typeof r.rule === 'string' && typeof r.version === 'number' && (
            <button
              type="button"
              className="link"
              onClick={() => onOpenRuleSet({ name: r.rule as string, version: r.version as number })}
              data-testid="inspector-open-rule-set"
            >
              {t('inspector.openRuleSet', { rule: r.rule, version: r.version })}
            </button>
          )}
        </>
      );
    }
    const d = r as { rule: string; events: number; households: number; score: number; thresholds: { A: number; B: number } };
    return (
      <>
        {t('inspector.reasonRule', {
          rule: d.rule,
          events: d.events,
          households: d.households,
          score: d.score,
          a: d.thresholds.A,
          b: d.thresholds.B,
        })}
      </>
    );
  } catch {
    return <>{cell.classReason}</>;
  }
}

function CellTitle({ cell }: { cell: CellProperties }) {
  return (
    <h2 data-testid="inspector-title">
      <span className="class-badge" style={{ background: CELL_CLASS_COLORS[cell.class] }}>
        {cell.class}
      </span>
      {cell.name}
    </h2>
  );
}

function CellClassRow({ cell }: { cell: CellProperties }) {
  const { t } = useTranslation();
  return (
    <Row label={t('inspector.class')} testId="inspector-class">
      {t(`cellClass.${cell.class}`)} · {cell.classSource === 'manual' ? t('inspector.sourceManual') : t('inspector.sourceRule')}
    </Row>
  );
}

/** A cell's code and community: what the map knows of it, and the inspector shows first. */
function CellIdentityRows({ cell }: { cell: CellProperties }) {
  const { t } = useTranslation();
  return (
    <>
      <Row label={t('inspector.code')} testId="inspector-code">
        <code>{cell.code}</code>
      </Row>
      <Row label={t('inspector.community')} testId="inspector-community">
        {cell.communityName}
      </Row>
    </>
  );
}

/** A cell as the map knows it, before its details come from the database. */
function CellPreview({ cell }: { cell: CellProperties }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <CellTitle cell={cell} />
      <dl>
        <CellIdentityRows cell={cell} />
        <CellClassRow cell={cell} />
        <Row label={t('inspector.households')}>{formatCount(cell.households, i18n.language)}</Row>
        <Row label={t('inspector.version')}>{cell.version}</Row>
      </dl>
      <p className="muted loading-note" role="status" data-testid="inspector-details-loading">
        <span className="spinner" aria-hidden="true" />
        {t('inspector.detailsLoading')}
      </p>
    </>
  );
}

function CellView({
  cell,
  canOverride,
  onChanged,
  onOpenRuleSet,
}: {
  cell: CellDetail;
  canOverride: boolean;
  onChanged(): void;
  onOpenRuleSet?: InspectorProps['onOpenRuleSet'];
}) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <CellTitle cell={cell} />
      <dl>
        <CellIdentityRows cell={cell} />
        <Row label={t('inspector.street')}>{cell.streetName}</Row>
        <CellClassRow cell={cell} />
        <Row label={t('inspector.reason')} testId="inspector-reason">
          <ClassReason cell={cell} onOpenRuleSet={onOpenRuleSet} />
        </Row>
        <Row label={t('inspector.households')}>{formatCount(cell.households, i18n.language)}</Row>
        <Row label={t('inspector.area')}>{t('inspector.areaValue', { value: (cell.areaSquareMeters / 1e6).toFixed(3) })}</Row>
        <Row label={t('inspector.version')}>
          {cell.version} · {formatDateTime(cell.validFrom, i18n.language)}
        </Row>
      </dl>
      <h3>{t('inspector.counts')}</h3>
      <table className="counts" data-testid="inspector-counts">
        <tbody>
          {POINT_KINDS.map((k) => (
            <tr key={k}>
              <th scope="row">{t(`kind.${k}`)}</th>
              <td>{formatCount(cell.counts[k], i18n.language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('inspector.topEvents')}</h3>
      {cell.topEventCategories.length === 0 ? (
        <p>{t('inspector.none')}</p>
      ) : (
        <ol className="top-events">
          {cell.topEventCategories.map((c) => (
            <li key={c.category}>
              {categoryLabel(c.category, i18n.language)} <span className="muted">{formatCount(c.count, i18n.language)}</span>
            </li>
          ))}
        </ol>
      )}
      <CellClassSection
        key={`${cell.code}-${cell.class}-${cell.classSource}`}
        cell={cell}
        canOverride={canOverride}
        onChanged={onChanged}
      />
    </>
  );
}

function EventView({ point }: { point: EventDetail }) {
  const { t, i18n } = useTranslation();
  return (
    <dl>
      <Row label={t('inspector.severity')}>{t(`severity.${point.severity}`)}</Row>
      <Row label={t('inspector.occurredAt')}>{formatDateTime(point.occurredAt, i18n.language)}</Row>
      <Row label={t('inspector.source')}>{t(`source.${point.source}`)}</Row>
      <Row label={t('inspector.status')}>{t(`status.${point.status}`)}</Row>
      <Row label={t('inspector.description')}>{point.description}</Row>
    </dl>
  );
}

function EntityView({ point }: { point: EntityDetail }) {
  const { t, i18n } = useTranslation();
  const a = point.attributes;
  const yesNo = (v: unknown) => (v ? t('inspector.yes') : t('inspector.no'));
  return (
    <>
      <dl>
        <Row label={t('inspector.category')}>{categoryLabel(point.category, i18n.language)}</Row>
        {point.kind === 'person' ? (
          <>
            {/* Who a person is stays with those who work with them: the command centre sees where, not who. */}
            {!point.nameMasked && (
              <>
                <Row label={t('inspector.gender')}>{String(a.gender ?? '')}</Row>
                <Row label={t('inspector.birthYear')}>{String(a.birth_year ?? '')}</Row>
                <Row label={t('inspector.household')}>{String(a.household_id ?? '')}</Row>
              </>
            )}
            <Row label={t('inspector.keyPerson')}>{yesNo(a.key_person)}</Row>
            {!point.nameMasked && <Row label={t('inspector.floating')}>{yesNo(a.floating)}</Row>}
          </>
        ) : (
          <>
            <Row label={t('inspector.riskLevel')}>{t(`risk.${point.riskLevel}`)}</Row>
            {typeof a.address === 'string' && <Row label={t('inspector.address')}>{a.address}</Row>}
          </>
        )}
      </dl>
      {point.kind === 'person' && (
        <>
          <h3>{t('inspector.personal')}</h3>
          {point.personal ? (
            <dl data-testid="inspector-personal">
              <Row label={t('inspector.idCard')}>{point.personal.idCardNumber}</Row>
              <Row label={t('inspector.phone')}>{point.personal.phone}</Row>
              <Row label={t('inspector.address')}>{point.personal.address}</Row>
              <dd className="muted note" data-testid="inspector-personal-note">
                {point.personal.masked ? t('inspector.personalMasked') : t('inspector.personalLogged')}
              </dd>
            </dl>
          ) : (
            <p className="muted" data-testid="inspector-personal-hidden">
              {t('inspector.personalHidden')}
            </p>
          )}
        </>
      )}
    </>
  );
}

function PointView({ point }: { point: PointDetail }) {
  const { t } = useTranslation();
  return (
    <>
      <h2 data-testid="inspector-title">
        <span className="kind-badge">{t(`kind.${point.kind}`)}</span>
        {point.name}
      </h2>
      <dl>
        <Row label={t('inspector.externalId')}>
          <code>{point.externalId}</code>
        </Row>
        <Row label={t('inspector.cellCode')} testId="inspector-point-cell">
          {point.cellCode ? (
            <>
              <code>{point.cellCode}</code> {point.cellName}
            </>
          ) : (
            t('inspector.outside')
          )}
        </Row>
        <Row label={t('inspector.location')}>
          {point.lngLat[0].toFixed(6)}, {point.lngLat[1].toFixed(6)}
        </Row>
      </dl>
      {point.kind === 'event' ? <EventView point={point} /> : <EntityView point={point} />}
    </>
  );
}

/** The right-hand panel: details of the selected cell or point. */
export function Inspector({
  content,
  canOverride = false,
  onCellChanged,
  onOpenRuleSet,
  onReportCase,
  onGovernance,
  onPlates,
  onZoneReport,
  patrols,
  onClose,
}: InspectorProps) {
  const { t } = useTranslation();
  return (
    <aside className="panel inspector" data-testid="inspector" aria-label={t('inspector.point')}>
      <button type="button" className="close" onClick={onClose} aria-label={t('inspector.close')} title={t('inspector.close')}>
        ×
      </button>
      {content.type === 'loading' && <p>{t('inspector.loading')}</p>}
      {content.type === 'missing' && <p>{t('inspector.noAccess')}</p>}
      {content.type === 'error' && <p className="error">{content.message}</p>}
      {content.type === 'cell-preview' && <CellPreview cell={content.cell} />}
      {content.type === 'cell' && (
        <CellView cell={content.cell} canOverride={canOverride} onChanged={() => onCellChanged?.()} onOpenRuleSet={onOpenRuleSet} />
      )}
      {content.type === 'point' && <PointView point={content.point} />}
      {patrols && content.type === 'cell' && (
        <CellPatrols
          code={content.cell.code}
          version={patrols.version}
          busy={patrols.busy}
          error={patrols.error}
          onStart={patrols.onStart ? () => patrols.onStart?.(content.cell.code) : undefined}
        />
      )}
      {onReportCase && content.type === 'cell' && (
        <button
          type="button"
          className="btn primary inspector-case"
          onClick={() => onReportCase({ cellCode: content.cell.code })}
          data-testid="inspector-report-case"
        >
          {t('cases.report.fromCell')}
        </button>
      )}
      {onGovernance && content.type === 'cell' && (
        <button
          type="button"
          className="btn inspector-case"
          onClick={() => onGovernance({ code: content.cell.code, name: content.cell.name })}
          data-testid="inspector-governance"
        >
          {t('governance.open')}
        </button>
      )}
      {onZoneReport && content.type === 'cell' && (
        <button
          type="button"
          className="btn inspector-case"
          onClick={() => onZoneReport(content.cell.code)}
          data-testid="inspector-zone-report"
        >
          {t('report.open')}
        </button>
      )}
      {onPlates && content.type === 'cell' && (
        <button
          type="button"
          className="btn inspector-case"
          onClick={() =>
            onPlates({
              code: content.cell.code,
              name: content.cell.name,
              communityCode: content.cell.communityCode,
              communityName: content.cell.communityName,
            })
          }
          data-testid="inspector-plates"
        >
          {t('plates.openSheet')}
        </button>
      )}
      {onReportCase && content.type === 'point' && content.point.kind === 'event' && (
        <button
          type="button"
          className="btn primary inspector-case"
          onClick={() => onReportCase({ event: content.point as EventDetail })}
          data-testid="inspector-event-case"
        >
          {t('cases.report.fromEvent')}
        </button>
      )}
    </aside>
  );
}
