// Type-ahead project picker for the masthead: searches the server
// (title contains the typed text) so it scales past one page of projects,
// and navigates to the same page of the chosen project.
import { useEffect, useMemo, useState } from 'react';
import {
  Button,
  MenuToggle,
  type MenuToggleElement,
  Select,
  SelectList,
  SelectOption,
  TextInputGroup,
  TextInputGroupMain,
  TextInputGroupUtilities,
} from '@patternfly/react-core';
import { TimesIcon } from '@patternfly/react-icons';
import { api } from '../api/client';
import type { Project } from '../api/types';

interface Props {
  selected: Project | null;
  onSelect: (p: Project | null) => void;
}

export function ProjectSelector({ selected, onSelect }: Props) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(selected?.title ?? '');
  const [projects, setProjects] = useState<Project[]>([]);

  useEffect(() => setText(selected?.title ?? ''), [selected]);

  const query = open && text !== (selected?.title ?? '') ? text : '';
  useEffect(() => {
    const ctrl = new AbortController();
    const t = window.setTimeout(
      () => {
        api<{ projects: Project[] }>('project', {
          query: { pageSize: 50, filter: query ? [`title%${query}`] : undefined },
          signal: ctrl.signal,
        })
          .then((d) => setProjects(d.projects ?? []))
          .catch(() => undefined);
      },
      query ? 200 : 0,
    );
    return () => {
      window.clearTimeout(t);
      ctrl.abort();
    };
  }, [query]);

  const options = useMemo(() => projects.slice(0, 50), [projects]);

  const toggle = (ref: React.Ref<MenuToggleElement>) => (
    <MenuToggle ref={ref} variant="typeahead" onClick={() => setOpen(!open)} isExpanded={open} isFullWidth aria-label="Project selector">
      <TextInputGroup isPlain>
        <TextInputGroupMain
          value={text}
          onClick={() => setOpen(true)}
          onChange={(_e, v) => {
            setText(v);
            setOpen(true);
          }}
          placeholder="No active project"
          aria-label="Select a project"
          role="combobox"
          isExpanded={open}
        />
        {selected && (
          <TextInputGroupUtilities>
            <Button
              variant="plain"
              aria-label="Clear project"
              onClick={() => {
                setText('');
                onSelect(null);
              }}
              icon={<TimesIcon />}
            />
          </TextInputGroupUtilities>
        )}
      </TextInputGroup>
    </MenuToggle>
  );

  return (
    <Select
      isOpen={open}
      selected={selected?.id}
      onSelect={(_e, v) => {
        const p = options.find((x) => x.id === v) ?? null;
        setOpen(false);
        if (p) onSelect(p);
      }}
      onOpenChange={(o) => setOpen(o)}
      toggle={toggle}
      shouldFocusToggleOnSelect
    >
      <SelectList id="project-select-list" style={{ maxHeight: '50vh', overflowY: 'auto' }}>
        {options.length === 0 ? (
          <SelectOption isDisabled value="__none">
            No projects found
          </SelectOption>
        ) : (
          options.map((p) => (
            <SelectOption key={p.id} value={p.id} description={p.name !== p.title ? p.name : undefined}>
              {p.title || p.name}
            </SelectOption>
          ))
        )}
      </SelectList>
    </Select>
  );
}
