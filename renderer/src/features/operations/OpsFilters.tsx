import { OP_KIND_LIST, OP_STATUS_LIST } from '../../model.js';
import type { OpKind, OpStatus } from '../../../../main/common/index.js';
import type { MessageKey } from '../../i18n/index.js';
import { selectOps, selectPlanIds, selectRepoIds, useApp, useAppShallow, type OpsFilter } from '../../store/index.js';
import { useT } from '../../components/useT.js';
import { IdOptions } from '../../components/IdOptions.js';

export function OpsFilters() {
  const t = useT();
  const filter = useApp(selectOps).filter;
  const setFilter = useApp((s) => s.setOpsFilter);
  const planIds = useAppShallow(selectPlanIds);
  const repoIds = useAppShallow(selectRepoIds);
  const update = (patch: Partial<OpsFilter>) => {
    const next: OpsFilter = { ...filter, ...patch };
    for (const k of Object.keys(next) as (keyof OpsFilter)[]) if (!next[k]) delete next[k];
    setFilter(next);
  };
  return (
    <div className="filters">
      <label>
        {t('ops.filter.plan')}
        <select value={filter.planId ?? ''} onChange={(e) => update({ planId: e.target.value || undefined })}>
          <option value="">{t('common.any')}</option>
          <IdOptions ids={planIds} />
        </select>
      </label>
      <label>
        {t('ops.filter.repo')}
        <select value={filter.repoId ?? ''} onChange={(e) => update({ repoId: e.target.value || undefined })}>
          <option value="">{t('common.any')}</option>
          <IdOptions ids={repoIds} />
        </select>
      </label>
      <label>
        {t('ops.filter.kind')}
        <select value={filter.kind ?? ''} onChange={(e) => update({ kind: (e.target.value || undefined) as OpKind | undefined })}>
          <option value="">{t('common.any')}</option>
          {OP_KIND_LIST.map((k) => (
            <option key={k} value={k}>
              {t(`kind.${k}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('ops.filter.status')}
        <select
          value={filter.status ?? ''}
          onChange={(e) => update({ status: (e.target.value || undefined) as OpStatus | undefined })}
        >
          <option value="">{t('common.any')}</option>
          {OP_STATUS_LIST.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
