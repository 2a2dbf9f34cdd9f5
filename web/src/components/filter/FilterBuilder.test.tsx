import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FilterBuilder, localToUTC, metadataFieldNames } from './FilterBuilder';
import { matchOptions } from './Typeahead';
import { RESULT_FIELDS, RUN_FIELDS } from './filters';
import { inZone } from '../../testZone';

describe('metadataFieldNames', () => {
  it('maps the project filter-params to new metadata.* fields', () => {
    expect(metadataFieldNames(['data.jenkins.job_name', 'data.assignee', 'params.browser', 'test_id', 'metadata.x'], RUN_FIELDS)).toEqual([
      'metadata.assignee',
      'metadata.x',
    ]);
    expect(metadataFieldNames(undefined, RUN_FIELDS)).toEqual([]);
  });
});

describe('localToUTC', () => {
  it('converts browser time to UTC ISO text and leaves garbage alone', () => {
    // New York is UTC-5 in January and UTC-4 (daylight saving) in July.
    expect(localToUTC('2026-01-02T03:04')).toBe(inZone({ UTC: '2026-01-02T03:04:00', 'America/New_York': '2026-01-02T08:04:00' }));
    expect(localToUTC('2026-07-02T23:30')).toBe(inZone({ UTC: '2026-07-02T23:30:00', 'America/New_York': '2026-07-03T03:30:00' }));
    expect(localToUTC('nope')).toBe('nope');
  });
});

describe('matchOptions', () => {
  it('puts prefix matches first and matches labels too', () => {
    const opts = [{ value: 'xfrontend' }, { value: 'frontend' }, { value: 'env', label: 'Environment' }];
    expect(matchOptions(opts, 'front').map((o) => o.value)).toEqual(['frontend', 'xfrontend']);
    expect(matchOptions(opts, 'environ').map((o) => o.value)).toEqual(['env']);
    expect(matchOptions(opts, '')).toHaveLength(3);
  });
});

describe('FilterBuilder', () => {
  afterEach(cleanup);
  it('adds a typed filter and removes it from its label', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    const { rerender } = render(<FilterBuilder fields={RESULT_FIELDS} filters={[]} onChange={onChange} projectId={null} />);
    const value = screen.getByRole('combobox', { name: 'Filter value' });
    await user.type(value, 'failed');
    await user.click(screen.getByRole('button', { name: 'Apply filter' }));
    expect(onChange).toHaveBeenLastCalledWith([{ field: 'result', op: '=', value: 'failed' }]);

    rerender(
      <FilterBuilder
        fields={RESULT_FIELDS}
        filters={[
          { field: 'result', op: '=', value: 'failed' },
          { field: 'project_id', op: '=', value: 'p' },
        ]}
        onChange={onChange}
        projectId="p"
        hiddenFields={['project_id']}
      />,
    );
    expect(screen.getByText('equals failed')).toBeInTheDocument();
    expect(screen.queryByText(/equals p$/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Remove filter result equals failed' }));
    expect(onChange).toHaveBeenLastCalledWith([{ field: 'project_id', op: '=', value: 'p' }]);
  });
  it('works from the keyboard: arrows pick a field suggestion, Enter applies', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(<FilterBuilder fields={RUN_FIELDS} filters={[]} onChange={onChange} projectId={null} />);
    const field = screen.getByRole('combobox', { name: 'Filter field' });
    await user.clear(field);
    await user.type(field, 'Environ');
    await user.keyboard('{ArrowDown}{Enter}');
    expect(field).toHaveValue('env');
    await user.type(screen.getByRole('combobox', { name: 'Filter value' }), 'prod{Enter}');
    expect(onChange).toHaveBeenLastCalledWith([{ field: 'env', op: '=', value: 'prod' }]);
  });
  it('explains an incomplete filter instead of applying it', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(<FilterBuilder fields={RUN_FIELDS} filters={[]} onChange={onChange} projectId={null} />);
    await user.click(screen.getByRole('button', { name: 'Apply filter' }));
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByTestId('filter-error')).toHaveTextContent('Enter a value');
  });
});
