// The new / edit widget wizard, driven by GET /api/widget/types: pick a
// type, fill in its parameters (generated from the declaration, defaults
// and the current project pre-filled, validated), then give it a title and
// weight with a live preview, and save (POST or PUT /api/widget-config).
// Params show human labels, durations in words and suggestions from the
// project's data (ParamField); Escape in a field stays in the field.
import { useMemo, useState } from 'react';
import {
  Alert,
  Card,
  CardBody,
  CardHeader,
  CardTitle,
  Content,
  Form,
  FormGroup,
  FormHelperText,
  Gallery,
  HelperText,
  HelperTextItem,
  Modal,
  ModalVariant,
  TextInput,
  Title,
  Wizard,
  WizardFooter,
  WizardHeader,
  WizardStep,
  useWizardContext,
} from '@patternfly/react-core';
import { api } from '../../../api/client';
import type { Dashboard, WidgetConfig, WidgetType } from '../../../api/types';
import { WidgetView } from '../../../widgets/WidgetView';
import { widgetRenderers } from '../../../widgets/registry';
import { initialValues, toParams, validate, validateDetails, type FormValues } from './params';
import { ParamField } from './ParamField';
import { escapeClosesDialog } from './escape';
import { ErrorAlert } from '../../../components/forms';

export interface WidgetWizardProps {
  /** Widget types (type=widget) from /api/widget/types. */
  types: WidgetType[];
  dashboard: Dashboard;
  projectId: string;
  /** The widget being edited; absent for a new one. */
  editing?: WidgetConfig | null;
  /** Weight offered for a new widget. */
  defaultWeight: number;
  onClose: () => void;
  onSaved: (w: WidgetConfig) => void;
}

/** A wizard footer whose Next validates first (showing the messages) instead of being silently disabled. */
function StepFooter({
  valid,
  onInvalid,
  nextText,
  onNext,
  busy,
}: {
  valid: boolean;
  onInvalid?: () => void;
  nextText?: string;
  onNext?: () => void;
  busy?: boolean;
}) {
  const { activeStep, goToNextStep, goToPrevStep, close, steps } = useWizardContext();
  const first = steps.findIndex((s) => s.id === activeStep.id) === 0;
  return (
    <WizardFooter
      activeStep={activeStep}
      onNext={() => {
        if (!valid) onInvalid?.();
        else if (onNext) onNext();
        else goToNextStep();
      }}
      onBack={goToPrevStep}
      onClose={close}
      isBackDisabled={first}
      isNextDisabled={busy}
      nextButtonText={nextText ?? 'Next'}
    />
  );
}

export function WidgetWizard({ types, dashboard, projectId, editing, defaultWeight, onClose, onSaved }: WidgetWizardProps) {
  const widgetTypes = useMemo(() => types.filter((t) => t.type === 'widget'), [types]);
  const editingType = editing ? widgetTypes.find((t) => t.id === editing.widget) : undefined;
  const [typeId, setTypeId] = useState<string | undefined>(editing?.widget);
  const type = widgetTypes.find((t) => t.id === typeId);
  const [values, setValues] = useState<FormValues>(() => (editingType ? initialValues(editingType, projectId, editing?.params ?? {}) : {}));
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [showAllErrors, setShowAllErrors] = useState(false);
  const [title, setTitle] = useState(editing?.title ?? '');
  const [weight, setWeight] = useState(String(editing?.weight ?? defaultWeight));
  const [showDetailErrors, setShowDetailErrors] = useState(false);
  const [typeError, setTypeError] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);

  const errors = useMemo(() => (type ? validate(type, values) : {}), [type, values]);
  const paramsValid = Object.keys(errors).length === 0;
  const detailErrors = validateDetails(title, weight);
  const params = useMemo(() => (type ? toParams(type, values) : {}), [type, values]);

  const chooseType = (t: WidgetType) => {
    if (t.id === typeId) return;
    const prevTitle = type?.title;
    setTypeId(t.id);
    setTypeError(false);
    setValues(initialValues(t, projectId, editing && editing.widget === t.id ? (editing.params ?? {}) : null));
    setTouched({});
    setShowAllErrors(false);
    if (!title || title === prevTitle) setTitle(t.title);
  };

  const save = async () => {
    if (!type) return;
    setSaving(true);
    setSaveError(null);
    const body = {
      type: 'widget',
      widget: type.id,
      title: title.trim(),
      params,
      weight: weight.trim() === '' ? defaultWeight : parseInt(weight, 10),
      dashboard_id: dashboard.id,
      project_id: dashboard.project_id ?? projectId,
    };
    try {
      const saved = editing
        ? await api<WidgetConfig>(`widget-config/${editing.id}`, { method: 'PUT', body })
        : await api<WidgetConfig>('widget-config', { method: 'POST', body });
      onSaved(saved);
    } catch (e) {
      setSaveError(e instanceof Error ? e.message : String(e));
      setSaving(false);
    }
  };

  const heading = editing ? 'Edit widget' : 'Add widget';
  return (
    <Modal
      isOpen
      variant={ModalVariant.large}
      onEscapePress={(e) => {
        if (escapeClosesDialog(e.target)) onClose();
      }}
      aria-labelledby="widget-wizard-title"
      className="ibutsu-widget-wizard"
    >
      <Wizard
        height={640}
        onClose={onClose}
        startIndex={editing ? 2 : 1}
        isVisitRequired={!editing}
        header={
          <WizardHeader
            title={heading}
            titleId="widget-wizard-title"
            description={`${editing ? 'Change a widget on' : 'Add a widget to'} the dashboard "${dashboard.title}"`}
            onClose={onClose}
            closeButtonAriaLabel="Close the widget wizard"
          />
        }
      >
        <WizardStep id="widget-type" name="Widget type" footer={<StepFooter valid={Boolean(type)} onInvalid={() => setTypeError(true)} />}>
          <Title headingLevel="h2" size="lg" style={{ marginBottom: 'var(--pf-t--global--spacer--md)' }}>
            Choose a widget type
          </Title>
          {typeError && (
            <Alert variant="danger" isInline isPlain title="Choose a widget type to continue." style={{ marginBottom: 'var(--pf-t--global--spacer--md)' }} />
          )}
          <Gallery hasGutter minWidths={{ default: '14rem' }} role="radiogroup" aria-label="Widget types">
            {widgetTypes.map((t) => (
              <Card key={t.id} id={`widget-type-${t.id}`} isSelectable isSelected={t.id === typeId} isCompact data-widget-type={t.id}>
                <CardHeader
                  selectableActions={{
                    selectableActionId: `widget-type-radio-${t.id}`,
                    selectableActionAriaLabelledby: `widget-type-title-${t.id}`,
                    name: 'widget-type',
                    variant: 'single',
                    isChecked: t.id === typeId,
                    onChange: () => chooseType(t),
                  }}
                >
                  <CardTitle id={`widget-type-title-${t.id}`}>{t.title}</CardTitle>
                </CardHeader>
                <CardBody>
                  <Content component="small">{t.description || t.id}</Content>
                  {!widgetRenderers[t.id] && <Content component="small"> (no preview in this UI)</Content>}
                </CardBody>
              </Card>
            ))}
          </Gallery>
        </WizardStep>
        <WizardStep
          id="widget-params"
          name="Parameters"
          isDisabled={!type}
          footer={<StepFooter valid={paramsValid} onInvalid={() => setShowAllErrors(true)} />}
        >
          {type && (
            <Form onSubmit={(e) => e.preventDefault()} aria-label={`${type.title} parameters`}>
              <Title headingLevel="h2" size="lg">
                {type.title} parameters
              </Title>
              {type.params.length === 0 && <Content component="p">This widget takes no parameters.</Content>}
              {type.params.map((p) => (
                <ParamField
                  key={p.name}
                  p={p}
                  value={values[p.name] ?? ''}
                  projectId={projectId}
                  error={touched[p.name] || showAllErrors ? errors[p.name] : undefined}
                  onChange={(v) => {
                    setValues((old) => ({ ...old, [p.name]: v }));
                    setTouched((old) => ({ ...old, [p.name]: true }));
                  }}
                />
              ))}
            </Form>
          )}
        </WizardStep>
        <WizardStep
          id="widget-details"
          name="Title and preview"
          isDisabled={!type || !paramsValid}
          footer={
            <StepFooter
              valid={Object.keys(detailErrors).length === 0 && paramsValid}
              onInvalid={() => setShowDetailErrors(true)}
              nextText={editing ? 'Save changes' : 'Save widget'}
              onNext={save}
              busy={saving}
            />
          }
        >
          {type && (
            <>
              <Form onSubmit={(e) => e.preventDefault()} isHorizontal>
                <FormGroup fieldId="widget-title" label="Title" isRequired>
                  <TextInput
                    id="widget-title"
                    value={title}
                    onChange={(_e, v) => setTitle(v)}
                    isRequired
                    validated={showDetailErrors && detailErrors.title ? 'error' : 'default'}
                  />
                  {showDetailErrors && detailErrors.title && (
                    <FormHelperText>
                      <HelperText>
                        <HelperTextItem variant="error">{detailErrors.title}</HelperTextItem>
                      </HelperText>
                    </FormHelperText>
                  )}
                </FormGroup>
                <FormGroup fieldId="widget-weight" label="Weight">
                  <TextInput
                    id="widget-weight"
                    type="number"
                    min={0}
                    value={weight}
                    onChange={(_e, v) => setWeight(v)}
                    validated={detailErrors.weight ? 'error' : 'default'}
                  />
                  <FormHelperText>
                    <HelperText>
                      {detailErrors.weight ? (
                        <HelperTextItem variant="error">{detailErrors.weight}</HelperTextItem>
                      ) : (
                        <HelperTextItem>Widgets are laid out by weight, lowest first (0 is stored as 10).</HelperTextItem>
                      )}
                    </HelperText>
                  </FormHelperText>
                </FormGroup>
              </Form>
              <ErrorAlert title="The widget could not be saved" error={saveError} spaced />
              <Title headingLevel="h3" size="md" style={{ margin: 'var(--pf-t--global--spacer--lg) 0 var(--pf-t--global--spacer--sm)' }}>
                Preview
              </Title>
              <Card isCompact data-testid="widget-preview">
                <CardTitle>{title || type.title}</CardTitle>
                <CardBody>
                  {paramsValid ? (
                    <WidgetView widget={type.id} params={params} projectId={projectId} title={title || type.title} />
                  ) : (
                    <Alert variant="warning" isInline isPlain title="Fix the parameters to see a preview." />
                  )}
                </CardBody>
              </Card>
            </>
          )}
        </WizardStep>
      </Wizard>
    </Modal>
  );
}

export default WidgetWizard;
