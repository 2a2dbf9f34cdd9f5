// Import test results (opened by the masthead's Import button): pick a
// report in any format the server reads (GET /api/import/formats lists them;
// the server recognises the format from the content, so the file's name does
// not matter) and a project, upload it with a
// progress bar, then follow the import (GET /api/import/{id} every second)
// until it is done — with a link to the new run — or failed, with the
// server's error. A project is always sent: the dialog requires one of the
// user's projects, or creates a new one first (any signed-in user may), so
// no import lands in a run outside every project list.
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import {
  Alert,
  Button,
  CodeBlock,
  CodeBlockCode,
  FileUpload,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  Progress,
  ProgressMeasureLocation,
  ProgressStep,
  ProgressStepper,
} from '@patternfly/react-core';
import { api, errorText } from '../../api/client';
import { useApi } from '../../api/useApi';
import type { ImportStatus, Pagination, Project } from '../../api/types';
import { useProject } from '../../project';
import { formatBytes } from '../../components/artifacts/download';
import { FormField } from '../../components/forms';
import { formatsSentence, importError, importRunId, isFinished, uploadImport, type ImportFormat, type UploadHandle } from './upload';
import { createProject, validateNewProject } from '../projects/newProject';
import { NewProjectFields, useNewProject } from '../projects/NewProjectFields';

/** How often the import status is polled, and for how long at most. */
const POLL_MS = 1000;
const POLL_LIMIT_MS = 30 * 60 * 1000;

type Phase = 'select' | 'uploading' | 'processing' | 'finished';

/** The project select's value for "create a new project". */
const NEW_PROJECT = '__new';

/**
 * The project the dialog starts with: the one picked, else the one it was
 * opened for or the current one, else the only project; a user without
 * projects starts on "create a new project"; several projects and no
 * context means the user must choose.
 */
export function defaultImportProject(picked: string, opened: string | null | undefined, projectIds: string[] | null): string {
  if (picked) return picked;
  if (opened) return opened;
  if (projectIds === null) return '';
  if (projectIds.length === 1) return projectIds[0];
  return projectIds.length === 0 ? NEW_PROJECT : '';
}

/** Why the import cannot start yet (shown on submit), or null. */
export function importBlocker(hasFile: boolean, project: string): string | null {
  if (!hasFile) return 'Choose a file to import.';
  if (!project) return 'Choose the project to import into, or create one.';
  return null;
}

export function ImportModal({ isOpen, onClose, initialProject }: { isOpen: boolean; onClose: () => void; initialProject?: string }) {
  const { projectId } = useProject();
  const navigate = useNavigate();
  const projects = useApi<{ projects: Project[]; pagination: Pagination }>(isOpen ? 'project' : null, { query: { pageSize: 500 } });
  const formats = useApi<{ formats: ImportFormat[] }>(isOpen ? 'import/formats' : null);
  const [file, setFile] = useState<File | null>(null);
  const [project, setProject] = useState<string>('');
  const [phase, setPhase] = useState<Phase>('select');
  const [progress, setProgress] = useState(0);
  const [status, setStatus] = useState<ImportStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [newProject, updateNewProject, resetNewProject] = useNewProject();
  const upload = useRef<UploadHandle | null>(null);
  const pollTimer = useRef<number | null>(null);

  const list = projects.data?.projects ?? [];
  const chosen = defaultImportProject(project, initialProject ?? projectId, projects.data ? list.map((p) => p.id) : null);
  const creating = chosen === NEW_PROJECT;
  const newProjectErrors = creating ? validateNewProject(newProject.title, newProject.name) : {};
  const blocker = importBlocker(file !== null, chosen) ?? (Object.keys(newProjectErrors).length ? 'Fill in the new project.' : null);
  // Each part shows at its field: the file's here, the project's and the new project's below.
  const fileBlocker = file === null ? importBlocker(false, chosen) : null;
  const cannotImport = projects.error ? `You cannot import now: your projects could not be loaded (${errorText(projects.error)}).` : null;

  const stopPolling = () => {
    if (pollTimer.current !== null) window.clearTimeout(pollTimer.current);
    pollTimer.current = null;
  };
  const reset = () => {
    upload.current?.abort();
    upload.current = null;
    stopPolling();
    setFile(null);
    setProject('');
    setPhase('select');
    setProgress(0);
    setStatus(null);
    setError(null);
    setSubmitted(false);
    resetNewProject();
  };
  // Stop everything when the modal closes or the page goes away.
  useEffect(() => {
    if (!isOpen) reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [isOpen]);
  useEffect(
    () => () => {
      upload.current?.abort();
      stopPolling();
    },
    [],
  );

  const poll = (id: string, started: number) => {
    pollTimer.current = window.setTimeout(async () => {
      try {
        const s = await api<ImportStatus>(`import/${id}`);
        setStatus(s);
        if (isFinished(s.status)) {
          setPhase('finished');
          return;
        }
      } catch (e) {
        setError(`Could not read the import's status: ${e instanceof Error ? e.message : String(e)}`);
        setPhase('finished');
        return;
      }
      if (Date.now() - started > POLL_LIMIT_MS) {
        setError('The import is taking very long; check the runs list later.');
        setPhase('finished');
        return;
      }
      poll(id, started);
    }, POLL_MS);
  };

  const start = async () => {
    setSubmitted(true);
    if (!file || blocker || cannotImport) return;
    setError(null);
    let target = chosen;
    if (creating) {
      setPhase('uploading');
      try {
        const p = await createProject(newProject.title, newProject.name);
        target = p.id;
        setProject(p.id);
        projects.reload();
      } catch (e) {
        setPhase('select');
        setError(`The project could not be created: ${errorText(e)}`);
        return;
      }
    }
    setPhase('uploading');
    setProgress(0);
    const h = uploadImport(file, target, setProgress);
    upload.current = h;
    try {
      const s = await h.promise;
      upload.current = null;
      setStatus(s);
      if (isFinished(s.status)) {
        setPhase('finished');
      } else {
        setPhase('processing');
        poll(s.id, Date.now());
      }
    } catch (e) {
      upload.current = null;
      setError(e instanceof Error ? e.message : String(e));
      setPhase('finished');
    }
  };

  const runId = importRunId(status);
  const runLink = runId ? (chosen && !creating ? `/project/${chosen}/runs/${runId}` : `/runs/${runId}`) : null;
  const failed = phase === 'finished' && (error !== null || status?.status !== 'done');
  const st = status?.status;
  const report = importError(status);

  return (
    <Modal isOpen={isOpen} onClose={onClose} variant="medium" aria-labelledby="import-title" aria-describedby="import-description">
      <ModalHeader
        title="Import test results"
        labelId="import-title"
        descriptorId="import-description"
        description="Upload a test report (JUnit XML, go test -json, TAP, CTRF and more) or an archive written by pytest-ibutsu; a run is created from it."
      />
      <ModalBody>
        <Form
          id="import-form"
          onSubmit={(e) => {
            e.preventDefault();
            start();
          }}
        >
          <FormGroup label="File" isRequired fieldId="import-file">
            <FileUpload
              id="import-file"
              value={file ?? ''}
              filename={file?.name ?? ''}
              filenamePlaceholder="Drag a file here or browse"
              browseButtonText="Browse…"
              onFileInputChange={(_e, f) => setFile(f)}
              onClearClick={() => setFile(null)}
              hideDefaultPreview
              isDisabled={phase !== 'select'}
              validated={submitted && fileBlocker ? 'error' : 'default'}
            />
            <FormHelperText>
              <HelperText>
                {submitted && fileBlocker && (
                  <HelperTextItem variant="error" data-testid="import-blocker">
                    {fileBlocker}
                  </HelperTextItem>
                )}
                <HelperTextItem data-testid="import-formats">
                  {formatsSentence(formats.data?.formats)}
                  {file ? ` ${formatBytes(file.size)}.` : ''}
                </HelperTextItem>
              </HelperText>
            </FormHelperText>
          </FormGroup>
          <FormField
            label="Project"
            isRequired
            fieldId="import-project"
            error={cannotImport ?? (submitted && !chosen ? 'Choose the project to import into, or create one.' : null)}
            help={
              !creating
                ? 'The run and its results go into this project.'
                : list.length === 0
                  ? 'You have no project yet: this one is created first, with you as its owner.'
                  : 'Created first, with you as its owner.'
            }
          >
            <FormSelect
              id="import-project"
              value={chosen}
              onChange={(_e, v) => setProject(v)}
              isDisabled={phase !== 'select' || projects.loading || Boolean(projects.error)}
              validated={submitted && !chosen ? 'error' : 'default'}
              isRequired
            >
              {projects.loading && <FormSelectOption value="" label="Loading projects…" isPlaceholder />}
              {!projects.loading && !chosen && <FormSelectOption value="" label="Choose a project" isPlaceholder />}
              {list.map((p) => (
                <FormSelectOption key={p.id} value={p.id} label={p.title || p.name} />
              ))}
              {!projects.loading && !projects.error && <FormSelectOption value={NEW_PROJECT} label="Create a new project…" />}
            </FormSelect>
          </FormField>
          {creating && (
            <NewProjectFields
              idPrefix="import-new-project"
              value={newProject}
              onChange={updateNewProject}
              errors={submitted ? newProjectErrors : {}}
              isDisabled={phase !== 'select'}
            />
          )}
          {phase === 'select' && error && (
            <Alert isInline variant="danger" title="Nothing was imported" data-testid="import-setup-error">
              {error}
            </Alert>
          )}
        </Form>

        {phase !== 'select' && (
          <div style={{ marginTop: 'var(--pf-t--global--spacer--lg)' }} data-testid="import-progress">
            <Progress
              value={progress}
              title={phase === 'uploading' ? `Uploading ${file?.name ?? ''}` : `Uploaded ${file?.name ?? ''}`}
              measureLocation={ProgressMeasureLocation.outside}
              variant={error && phase === 'finished' && !status ? 'danger' : progress === 100 ? 'success' : undefined}
              aria-label="Upload progress"
            />
            {status && (
              <ProgressStepper aria-label="Import status" style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}>
                <ProgressStep variant="success" id="import-step-upload" titleId="import-step-upload-title">
                  Uploaded
                </ProgressStep>
                <ProgressStep
                  variant={st === 'pending' ? 'info' : 'success'}
                  isCurrent={st === 'pending'}
                  id="import-step-queue"
                  titleId="import-step-queue-title"
                >
                  Queued
                </ProgressStep>
                <ProgressStep
                  variant={st === 'running' ? 'info' : st === 'pending' ? 'pending' : st === 'done' ? 'success' : 'danger'}
                  isCurrent={st === 'running'}
                  id="import-step-run"
                  titleId="import-step-run-title"
                >
                  Importing
                </ProgressStep>
                <ProgressStep
                  variant={st === 'done' ? 'success' : failed ? 'danger' : 'pending'}
                  isCurrent={phase === 'finished'}
                  id="import-step-done"
                  titleId="import-step-done-title"
                >
                  {failed ? 'Failed' : 'Done'}
                </ProgressStep>
              </ProgressStepper>
            )}
            <p className="pf-v6-u-screen-reader" aria-live="polite" data-testid="import-status">
              {st ? `Import ${st}` : phase === 'uploading' ? `Uploading, ${progress}%` : ''}
            </p>
            {phase === 'finished' && !failed && (
              <Alert isInline variant="success" title="Import done" style={{ marginTop: 'var(--pf-t--global--spacer--md)' }} data-testid="import-done">
                {runLink ? (
                  <Button
                    variant="link"
                    isInline
                    onClick={() => {
                      onClose();
                      navigate(runLink);
                    }}
                  >
                    View the imported run
                  </Button>
                ) : (
                  'The results were imported.'
                )}
              </Alert>
            )}
            {failed && (
              <Alert isInline variant="danger" title="Import failed" style={{ marginTop: 'var(--pf-t--global--spacer--md)' }} data-testid="import-error">
                {error ??
                  (report
                    ? 'The server reported:'
                    : `The import ended with status "${st}" and no details; check that the file is a complete report in one of the formats listed above.`)}
                {report && (
                  <CodeBlock style={{ marginTop: 'var(--pf-t--global--spacer--sm)' }}>
                    <CodeBlockCode>{report}</CodeBlockCode>
                  </CodeBlock>
                )}
              </Alert>
            )}
          </div>
        )}
      </ModalBody>
      <ModalFooter>
        {phase === 'select' && (
          <Button variant="primary" type="submit" form="import-form" isDisabled={Boolean(cannotImport)}>
            Import
          </Button>
        )}
        {phase === 'finished' && !failed && runLink && (
          <Button
            variant="primary"
            onClick={() => {
              onClose();
              navigate(runLink);
            }}
          >
            View run
          </Button>
        )}
        {phase === 'finished' && (
          <Button variant="secondary" onClick={reset}>
            Import another file
          </Button>
        )}
        <Button variant="link" onClick={onClose}>
          {phase === 'select' ? 'Cancel' : phase === 'uploading' ? 'Cancel upload' : 'Close'}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
