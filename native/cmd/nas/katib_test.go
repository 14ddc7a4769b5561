package main

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/core/search"
)

// experiment is the part of a Katib v1beta1 Experiment (kubeflow.org/v1beta1,
// kind Experiment) that these files use, field names as in Katib's API
// (pkg/apis/controller/experiments/v1beta1). yaml.v3 is testify's own
// dependency, so parsing the files as YAML adds no module.
type experiment struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		Objective struct {
			Type                  string   `yaml:"type"`
			Goal                  *float64 `yaml:"goal"`
			ObjectiveMetricName   string   `yaml:"objectiveMetricName"`
			AdditionalMetricNames []string `yaml:"additionalMetricNames"`
		} `yaml:"objective"`
		Algorithm struct {
			AlgorithmName string `yaml:"algorithmName"`
		} `yaml:"algorithm"`
		ParallelTrialCount   int `yaml:"parallelTrialCount"`
		MaxTrialCount        int `yaml:"maxTrialCount"`
		MetricsCollectorSpec struct {
			Collector struct {
				Kind string `yaml:"kind"`
			} `yaml:"collector"`
		} `yaml:"metricsCollectorSpec"`
		Parameters []struct {
			Name          string `yaml:"name"`
			ParameterType string `yaml:"parameterType"`
			FeasibleSpace struct {
				Min  string   `yaml:"min"`
				Max  string   `yaml:"max"`
				List []string `yaml:"list"`
			} `yaml:"feasibleSpace"`
		} `yaml:"parameters"`
		TrialTemplate struct {
			PrimaryContainerName string `yaml:"primaryContainerName"`
			TrialParameters      []struct {
				Name      string `yaml:"name"`
				Reference string `yaml:"reference"`
			} `yaml:"trialParameters"`
			TrialSpec struct {
				APIVersion string `yaml:"apiVersion"`
				Kind       string `yaml:"kind"`
				Spec       struct {
					Template struct {
						Spec struct {
							RestartPolicy string `yaml:"restartPolicy"`
							Containers    []struct {
								Name    string   `yaml:"name"`
								Image   string   `yaml:"image"`
								Command []string `yaml:"command"`
							} `yaml:"containers"`
						} `yaml:"spec"`
					} `yaml:"template"`
				} `yaml:"spec"`
			} `yaml:"trialSpec"`
		} `yaml:"trialTemplate"`
	} `yaml:"spec"`
}

// dockerImage returns the tag deploy/katib/Dockerfile documents ("# image: TAG").
func dockerImage(t *testing.T) string {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "deploy", "katib", "Dockerfile"))
	require.NoError(t, err)
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if tag, ok := strings.CutPrefix(sc.Text(), "# image: "); ok {
			return strings.TrimSpace(tag)
		}
	}
	t.Fatal("Dockerfile: no '# image: TAG' line")
	return ""
}

// TestKatibExperiments parses both Experiments as Katib v1beta1 and checks
// what Katib needs to run them with this binary: the objective, algorithm,
// parameters and their references, a Job trial whose container runs the
// Dockerfile's image, a command whose every flag `nas` defines, and a StdOut
// collector for metric names that `--metrics-format katib` prints.
func TestKatibExperiments(t *testing.T) {
	image := dockerImage(t)
	paths, err := filepath.Glob(filepath.Join("..", "..", "..", "deploy", "katib", "*.yaml"))
	require.NoError(t, err)
	require.Len(t, paths, 2)
	printed := run.KatibLines(search.Event{Kind: search.KindEpoch}) + run.KatibLines(search.Event{Kind: search.KindDone})
	ref := regexp.MustCompile(`\$\{trialParameters\.([A-Za-z0-9_]+)\}`)
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			var e experiment
			dec := yaml.NewDecoder(bytes.NewReader(b))
			require.NoError(t, dec.Decode(&e))
			assert.Equal(t, "kubeflow.org/v1beta1", e.APIVersion)
			assert.Equal(t, "Experiment", e.Kind)
			assert.NotEmpty(t, e.Metadata.Name)
			s := e.Spec
			assert.Contains(t, []string{"maximize", "minimize"}, s.Objective.Type)
			assert.Contains(t, []string{"random", "grid", "bayesianoptimization", "tpe", "hyperband", "cmaes"}, s.Algorithm.AlgorithmName)
			assert.Positive(t, s.ParallelTrialCount)
			assert.GreaterOrEqual(t, s.MaxTrialCount, s.ParallelTrialCount)
			assert.Equal(t, "StdOut", s.MetricsCollectorSpec.Collector.Kind)
			for _, m := range append([]string{s.Objective.ObjectiveMetricName}, s.Objective.AdditionalMetricNames...) {
				assert.Contains(t, printed, "\n"+m+"=", "metric %s is not a line of --metrics-format katib", m)
			}

			params := map[string]bool{}
			for _, p := range s.Parameters {
				params[p.Name] = true
				switch p.ParameterType {
				case "double", "int":
					assert.NotEmpty(t, p.FeasibleSpace.Min, p.Name)
					assert.NotEmpty(t, p.FeasibleSpace.Max, p.Name)
				case "categorical", "discrete":
					assert.NotEmpty(t, p.FeasibleSpace.List, p.Name)
				default:
					t.Errorf("parameter %s: type %q", p.Name, p.ParameterType)
				}
			}
			tt := s.TrialTemplate
			trial := map[string]bool{}
			for _, tp := range tt.TrialParameters {
				trial[tp.Name] = true
				assert.True(t, params[tp.Reference], "trial parameter %s references unknown parameter %s", tp.Name, tp.Reference)
			}
			assert.Equal(t, "batch/v1", tt.TrialSpec.APIVersion)
			assert.Equal(t, "Job", tt.TrialSpec.Kind)
			pod := tt.TrialSpec.Spec.Template.Spec
			assert.Equal(t, "Never", pod.RestartPolicy)
			require.Len(t, pod.Containers, 1)
			c := pod.Containers[0]
			assert.Equal(t, tt.PrimaryContainerName, c.Name)
			assert.Equal(t, image, c.Image, "the Experiment runs the image deploy/katib/Dockerfile builds")

			require.GreaterOrEqual(t, len(c.Command), 3)
			require.Equal(t, "nas", c.Command[0])
			sub := c.Command[1]
			code, _, errOut := nas(sub, "--help") // registers the subcommand's flag set in helpOut
			require.Equal(t, 0, code, errOut)
			fs := findFlagSet(t, "nas "+sub)
			seenKatib := false
			for _, arg := range c.Command[2:] {
				name, val, ok := strings.Cut(strings.TrimPrefix(arg, "--"), "=")
				require.True(t, strings.HasPrefix(arg, "--") && ok, "argument %q: want --flag=value", arg)
				assert.NotNil(t, fs.Lookup(name), "nas %s has no flag --%s", sub, name)
				for _, m := range ref.FindAllStringSubmatch(val, -1) {
					assert.True(t, trial[m[1]], "--%s uses undefined trial parameter %s", name, m[1])
				}
				seenKatib = seenKatib || arg == "--metrics-format=katib"
			}
			assert.True(t, seenKatib, "the trial must print katib metric lines")
		})
	}
}

// findFlagSet returns the most recent flag set called name that a command
// registered in helpOut.
func findFlagSet(t *testing.T, name string) *flag.FlagSet {
	for fs := range helpOut {
		if fs.Name() == name {
			return fs
		}
	}
	t.Fatalf("no flag set %q", name)
	return nil
}
