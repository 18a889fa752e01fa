// A deliberate layering violation: the layer check must reject this tree.
#pragma once
#include "commands/backup.hpp"
