# snipcheck: question 167: Types of comprehensions?
# guide: guides/python-advanced.txt, line 75

# example at line 80
# Dict comprehension example
names = ["Alice", "Bob"]
name_lengths = {name: len(name) for name in names}
# {'Alice': 5, 'Bob': 3}
